using System.Text.Json;

namespace Predictive.Core.MarketData;

/// <summary>
/// Reads Binance klines for one symbol: the CSV files of data.binance.vision (with or without header) and the JSON
/// that <c>GET /api/v3/klines</c> returns. Volume is the quote asset volume, comparable to a USD volume.
/// </summary>
public static class BinanceKlineReader
{
    /// <summary>Reads a data.binance.vision kline CSV (12 columns; open time in ms, or µs in newer spot files).</summary>
    /// <param name="stream">UTF-8 text; need not be seekable.</param>
    /// <param name="source">The file name, for error messages and, when no symbol is given, the symbol.</param>
    /// <param name="options">Symbol, quote asset, interval and missing-data policy.</param>
    /// <exception cref="MarketDataException">The file is empty, the symbol is unknown, or a row is bad.</exception>
    public static PricePanel ReadCsv(Stream stream, string source, MarketDataReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        var lines = new Utf8LineReader(stream, source);
        if (!LongCsvReader.TryReadNonBlank(lines, out var first))
        {
            throw new MarketDataException(source, 1, "the file is empty: expected Binance klines (12 columns).");
        }

        return ReadCsv(lines, first, source, options ?? MarketDataReadOptions.Default);
    }

    /// <summary>Reads the JSON array of klines returned by <c>GET /api/v3/klines</c>.</summary>
    /// <param name="stream">UTF-8 JSON.</param>
    /// <param name="source">The file name or URL, for error messages and, when no symbol is given, the symbol.</param>
    /// <param name="options">Symbol, quote asset, interval and missing-data policy.</param>
    /// <exception cref="MarketDataException">The JSON is malformed, empty, or a kline is bad; the record number is the line.</exception>
    public static PricePanel ReadJson(Stream stream, string source, MarketDataReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        options ??= MarketDataReadOptions.Default;
        var symbol = ResolveSymbol(source, options);
        List<BinanceKline> rows;
        try
        {
            using var doc = JsonDocument.Parse(stream);
            rows = BinanceKline.FromJsonArray(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new MarketDataException(source, ex.LineNumber + 1, $"malformed JSON: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new MarketDataException(source, null, ex.Message, ex);
        }

        var builder = new PanelBuilder(source, hasOhlc: true, hasVolume: true, options.Policy);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].AddTo(builder, i + 1, symbol);
        }

        if (rows.Count == 0)
        {
            throw new MarketDataException(source, 1, "the JSON array has no klines.");
        }

        return builder.Build(options.Interval ?? BinanceKline.IntervalFromFileName(source));
    }

    /// <summary>Whether a first line looks like a Binance kline CSV: its header, or a 12-field row starting with an integer time.</summary>
    internal static bool LooksLikeKlineCsv(ReadOnlySpan<byte> firstLine)
    {
        Span<Range> ranges = stackalloc Range[BinanceKline.FieldCount];
        if (Utf8Fields.Split(firstLine, ranges) != BinanceKline.FieldCount)
        {
            return false;
        }

        var first = Utf8Fields.Unquote(firstLine[ranges[0]]);
        return Utf8Fields.TryParseInt64(first, out _) || first.SequenceEqual("open_time"u8) || first.SequenceEqual("open time"u8);
    }

    internal static PricePanel ReadCsv(Utf8LineReader lines, ReadOnlySpan<byte> first, string source, MarketDataReadOptions options)
    {
        var symbol = ResolveSymbol(source, options);
        var builder = new PanelBuilder(source, hasOhlc: true, hasVolume: true, options.Policy);
        Span<Range> ranges = stackalloc Range[BinanceKline.FieldCount];
        var line = first;
        var isFirst = true;
        do
        {
            if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                continue;
            }

            var lineNo = lines.LineNumber;
            var count = Utf8Fields.Split(line, ranges);
            if (count != BinanceKline.FieldCount)
            {
                throw new MarketDataException(source, lineNo, $"expected {BinanceKline.FieldCount} kline fields, found {count}.");
            }

            if (!Utf8Fields.TryParseInt64(line[ranges[0]], out var openTime))
            {
                if (isFirst)
                {
                    isFirst = false;
                    continue; // the header
                }

                throw new MarketDataException(source, lineNo, $"cannot parse open time '{Utf8Fields.Show(line[ranges[0]])}' as an integer (ms or µs since 1970).");
            }

            isFirst = false;
            builder.Add(lineNo, BinanceKline.FromEpoch(openTime), symbol,
                Number(line[ranges[1]], "open", source, lineNo),
                Number(line[ranges[2]], "high", source, lineNo),
                Number(line[ranges[3]], "low", source, lineNo),
                Number(line[ranges[4]], "close", source, lineNo),
                Number(line[ranges[7]], "quote asset volume", source, lineNo));
        }
        while (lines.TryReadLine(out line));

        if (builder.RowCount == 0)
        {
            throw new MarketDataException(source, lines.LineNumber + 1, "the file has no kline rows.");
        }

        return builder.Build(options.Interval ?? BinanceKline.IntervalFromFileName(source));
    }

    private static double Number(ReadOnlySpan<byte> field, string name, string source, long lineNo) =>
        Utf8Fields.TryParseDouble(field, out var value)
            ? value
            : throw new MarketDataException(source, lineNo, $"cannot parse {name} '{Utf8Fields.Show(field)}' as a number.");

    private static string ResolveSymbol(string source, MarketDataReadOptions options) =>
        options.Symbol ?? BinanceKline.SymbolFromFileName(source, options.QuoteAsset)
        ?? throw new MarketDataException(source, null, "cannot tell the symbol from the file name; pass it in the read options (Symbol).");
}
