using System.Globalization;
using System.Text.Json;

namespace Predictive.Core.MarketData;

/// <summary>
/// The parts of a Binance kline that a panel uses. The 12 fields of a kline are: open time, open, high, low, close,
/// volume (base asset), close time, quote asset volume, number of trades, taker buy base volume, taker buy quote
/// volume, ignore.
/// </summary>
internal readonly record struct BinanceKline(DateTimeOffset OpenTime, double Open, double High, double Low, double Close, double QuoteVolume, DateTimeOffset CloseTime)
{
    public const int FieldCount = 12;

    // Open times are milliseconds since 1970; newer spot files use microseconds. 1e14 ms is the year 5138, so
    // anything at or above it is microseconds.
    private const long MicrosecondThreshold = 100_000_000_000_000;

    public static DateTimeOffset FromEpoch(long value) => value >= MicrosecondThreshold
        ? DateTimeOffset.UnixEpoch.AddTicks(value * 10)
        : DateTimeOffset.FromUnixTimeMilliseconds(value);

    public void AddTo(PanelBuilder builder, long line, string symbol) =>
        builder.Add(line, OpenTime, symbol, Open, High, Low, Close, QuoteVolume);

    /// <summary>Parses one REST kline (a JSON array; numbers arrive as strings or numbers).</summary>
    /// <exception cref="FormatException">The element is not a 12-element kline array.</exception>
    public static BinanceKline FromJson(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < FieldCount)
        {
            throw new FormatException($"expected an array of {FieldCount} kline fields, found {Describe(row)}.");
        }

        return new BinanceKline(
            FromEpoch(Int64(row[0], "open time")),
            Double(row[1], "open"),
            Double(row[2], "high"),
            Double(row[3], "low"),
            Double(row[4], "close"),
            Double(row[7], "quote asset volume"),
            FromEpoch(Int64(row[6], "close time")));
    }

    /// <summary>Parses a whole REST response: an array of kline arrays.</summary>
    /// <exception cref="FormatException">The document is not an array of klines; the message names the record.</exception>
    public static List<BinanceKline> FromJsonArray(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"expected a JSON array of klines, found {Describe(root)}.");
        }

        var rows = new List<BinanceKline>(root.GetArrayLength());
        var index = 0;
        foreach (var row in root.EnumerateArray())
        {
            index++;
            try
            {
                rows.Add(FromJson(row));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"kline {index}: {ex.Message}", ex);
            }
        }

        return rows;
    }

    /// <summary>The symbol named by a data.binance.vision file such as <c>BTCUSDT-1d-2024-01.csv</c>, without the quote asset.</summary>
    public static string? SymbolFromFileName(string path, string quoteAsset)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var pair = name.Split('-', '_')[0].ToUpperInvariant();
        if (pair.Length == 0 || !pair.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var quote = quoteAsset.ToUpperInvariant();
        return pair.Length > quote.Length && pair.EndsWith(quote, StringComparison.Ordinal) ? pair[..^quote.Length] : pair;
    }

    /// <summary>The interval named by a file such as <c>BTCUSDT-1d-2024-01.csv</c>, or null.</summary>
    public static BarInterval? IntervalFromFileName(string path)
    {
        var parts = Path.GetFileNameWithoutExtension(path).Split('-', '_');
        if (parts.Length < 2 || parts[1].EndsWith('M'))
        {
            return null; // 1M is a calendar month, not a fixed length.
        }

        try
        {
            return BarInterval.Parse(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static long Int64(JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n))
        {
            return n;
        }

        if (e.ValueKind == JsonValueKind.String && long.TryParse(e.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw new FormatException($"{name} {Describe(e)} is not an integer time.");
    }

    private static double Double(JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            return e.GetDouble();
        }

        if (e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        throw new FormatException($"{name} {Describe(e)} is not a number.");
    }

    private static string Describe(JsonElement e)
    {
        var text = e.GetRawText();
        return $"{e.ValueKind.ToString().ToLowerInvariant()} {(text.Length > 40 ? text[..40] + "…" : text)}";
    }
}
