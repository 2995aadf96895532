using System.Text;

namespace Predictive.Core.MarketData;

/// <summary>
/// Reads the long CSV layout <c>timestamp,symbol,open,high,low,close,volume</c> in one streaming pass. Columns are found
/// by header name (any order, any case); open, high, low and volume are optional (open, high and low go together).
/// </summary>
public static class LongCsvReader
{
    /// <summary>Reads a long CSV stream (which need not be seekable) into a panel.</summary>
    /// <param name="stream">UTF-8 text.</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="options">Interval and missing-data policy; the defaults when null.</param>
    /// <exception cref="MarketDataException">The input is empty, lacks a required column, or has a bad row.</exception>
    public static PricePanel Read(Stream stream, string source, MarketDataReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        var lines = new Utf8LineReader(stream, source);
        if (!TryReadNonBlank(lines, out var header))
        {
            throw new MarketDataException(source, 1, "the file is empty: expected a header such as timestamp,symbol,open,high,low,close,volume.");
        }

        return Read(lines, header, source, options ?? MarketDataReadOptions.Default);
    }

    /// <summary>Continues after the header line has been read (the format detector reads it first).</summary>
    internal static PricePanel Read(Utf8LineReader lines, ReadOnlySpan<byte> header, string source, MarketDataReadOptions options)
    {
        var columns = Columns.Locate(header, source, lines.LineNumber);
        var builder = new PanelBuilder(source, columns.HasOhlc, columns.HasVolume, options.Policy);
        var symbols = new SymbolTable();
        Span<Range> ranges = stackalloc Range[Math.Min(columns.Count, 64)];
        var lastStamp = new byte[64];
        var lastStampLength = -1;
        var stamp = default(DateTimeOffset);

        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty || line.IndexOfAnyExcept((byte)' ', (byte)'\t') < 0)
            {
                continue;
            }

            var lineNo = lines.LineNumber;
            var count = Utf8Fields.Split(line, ranges);
            if (count != columns.Count)
            {
                throw new MarketDataException(source, lineNo, $"expected {columns.Count} fields as in the header, found {count}.");
            }

            // Long files are sorted by time, so consecutive rows usually share the timestamp text: parse it once.
            var stampField = line[ranges[columns.Timestamp]];
            if (lastStampLength != stampField.Length || !stampField.SequenceEqual(lastStamp.AsSpan(0, lastStampLength)))
            {
                if (!Utf8Fields.TryParseTimestamp(stampField, out stamp))
                {
                    throw new MarketDataException(source, lineNo, $"cannot parse timestamp '{Utf8Fields.Show(stampField)}'; expected YYYY-MM-DD or ISO-8601 UTC such as 2017-08-17T05:00:00Z.");
                }

                if (stampField.Length <= lastStamp.Length)
                {
                    stampField.CopyTo(lastStamp);
                    lastStampLength = stampField.Length;
                }
                else
                {
                    lastStampLength = -1;
                }
            }

            var symbol = symbols.Get(line[ranges[columns.Symbol]]);
            var close = Number(line, ranges, columns.Close, "close", source, lineNo);
            double open = double.NaN, high = double.NaN, low = double.NaN, volume = double.NaN;
            if (columns.HasOhlc)
            {
                open = Number(line, ranges, columns.Open, "open", source, lineNo);
                high = Number(line, ranges, columns.High, "high", source, lineNo);
                low = Number(line, ranges, columns.Low, "low", source, lineNo);
            }

            if (columns.HasVolume)
            {
                volume = Number(line, ranges, columns.Volume, "volume", source, lineNo);
            }

            builder.Add(lineNo, stamp, symbol, open, high, low, close, volume);
        }

        if (builder.RowCount == 0)
        {
            throw new MarketDataException(source, lines.LineNumber + 1, "the file has a header but no data rows.");
        }

        return builder.Build(options.Interval);
    }

    internal static bool TryReadNonBlank(Utf8LineReader lines, out ReadOnlySpan<byte> line)
    {
        while (lines.TryReadLine(out line))
        {
            if (line.IndexOfAnyExcept((byte)' ', (byte)'\t') >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static double Number(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges, int column, string name, string source, long lineNo)
    {
        var field = line[ranges[column]];
        if (!Utf8Fields.TryParseDouble(field, out var value))
        {
            throw new MarketDataException(source, lineNo, field.Trim((byte)' ').IsEmpty
                ? $"{name} is empty."
                : $"cannot parse {name} '{Utf8Fields.Show(field)}' as a number.");
        }

        return value;
    }

    private sealed record Columns(int Count, int Timestamp, int Symbol, int Close, int Open, int High, int Low, int Volume)
    {
        private static readonly string[] Required = ["timestamp", "symbol", "close"];
        private static readonly string[] Ohlc = ["open", "high", "low"];

        public bool HasOhlc => Open >= 0;

        public bool HasVolume => Volume >= 0;

        public static Columns Locate(ReadOnlySpan<byte> header, string source, long lineNo)
        {
            var names = Encoding.UTF8.GetString(header).Split(',').Select(n => n.Trim().Trim('"').ToLowerInvariant()).ToArray();
            int Find(string name) => Array.IndexOf(names, name);
            var missing = Required.Where(n => Find(n) < 0).ToList();
            if (missing.Count > 0)
            {
                throw new MarketDataException(source, lineNo,
                    $"the header has no {string.Join(" or ", missing.Select(m => $"'{m}'"))} column (header: {Utf8Fields.Show(header)}); expected timestamp,symbol,[open,high,low,]close[,volume].");
            }

            if (names.Length > 64)
            {
                throw new MarketDataException(source, lineNo, $"the header has {names.Length} columns; at most 64 are supported.");
            }

            var ohlc = Ohlc.Select(Find).ToArray();
            if (ohlc.Any(i => i >= 0) && ohlc.Any(i => i < 0))
            {
                throw new MarketDataException(source, lineNo, "open, high and low must be given together: the header has only some of them.");
            }

            return new Columns(names.Length, Find("timestamp"), Find("symbol"), Find("close"), ohlc[0], ohlc[1], ohlc[2], Find("volume"));
        }
    }
}
