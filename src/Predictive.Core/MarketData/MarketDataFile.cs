namespace Predictive.Core.MarketData;

/// <summary>
/// The one entry point for market data files: picks the format from the extension (<c>.parquet</c>, <c>.json</c>) or,
/// for CSV, from the first line (long layout with a <c>timestamp,symbol,…,close</c> header, or Binance klines), and
/// hands every bar to <see cref="PanelBuilder"/> so one validation and gap rule apply to all formats.
/// </summary>
public static class MarketDataFile
{
    /// <summary>Reads a market data file into a panel.</summary>
    /// <exception cref="MarketDataException">The file is missing, of unknown format or invalid; the message names file, line and problem.</exception>
    public static PricePanel Read(string path, MarketDataReadOptions? options = null) =>
        ReadAsync(path, options).GetAwaiter().GetResult();

    /// <summary>Reads a market data file into a panel.</summary>
    /// <exception cref="MarketDataException">The file is missing, of unknown format or invalid; the message names file, line and problem.</exception>
    public static async Task<PricePanel> ReadAsync(string path, MarketDataReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= MarketDataReadOptions.Default;
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MarketDataException(path, null, $"cannot open the file: {ex.Message}", ex);
        }

        await using (stream)
        {
            return await ReadAsync(stream, path, options, cancellationToken);
        }
    }

    /// <summary>Reads market data from a stream; <paramref name="source"/> names it in errors and its extension selects the format.</summary>
    /// <remarks>CSV and JSON streams need not be seekable; Parquet needs a seekable stream.</remarks>
    public static async Task<PricePanel> ReadAsync(Stream stream, string source, MarketDataReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        options ??= MarketDataReadOptions.Default;
        var format = options.Format ?? FormatFromExtension(source);
        switch (format)
        {
            case MarketDataFormat.Parquet:
                return await ParquetMarketData.ReadAsync(stream, source, options, cancellationToken);
            case MarketDataFormat.BinanceKlineJson:
                return BinanceKlineReader.ReadJson(stream, source, options);
            case MarketDataFormat.LongCsv:
                return LongCsvReader.Read(stream, source, options);
            case MarketDataFormat.BinanceKlineCsv:
                return BinanceKlineReader.ReadCsv(stream, source, options);
            default:
                break;
        }

        // CSV of unknown layout: the first line decides, and reading continues from it (one pass).
        var lines = new Utf8LineReader(stream, source);
        if (!LongCsvReader.TryReadNonBlank(lines, out var first))
        {
            throw new MarketDataException(source, 1, "the file is empty: expected a CSV header such as timestamp,symbol,open,high,low,close,volume.");
        }

        return BinanceKlineReader.LooksLikeKlineCsv(first)
            ? BinanceKlineReader.ReadCsv(lines, first, source, options)
            : LongCsvReader.Read(lines, first, source, options);
    }

    /// <summary>Writes a panel; the extension selects the format (<c>.parquet</c>, otherwise long CSV).</summary>
    public static void Write(PricePanel panel, string path) => WriteAsync(panel, path).GetAwaiter().GetResult();

    /// <summary>Writes a panel; the extension selects the format (<c>.parquet</c>, otherwise long CSV).</summary>
    public static async Task WriteAsync(PricePanel panel, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(path);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        if (FormatFromExtension(path) == MarketDataFormat.Parquet)
        {
            await ParquetMarketData.WriteAsync(panel, stream, cancellationToken);
        }
        else
        {
            LongCsvWriter.Write(panel, stream);
        }
    }

    /// <summary>The format implied by a file name: Parquet for <c>.parquet</c>, Binance JSON for <c>.json</c>, null (CSV, decided by content) otherwise.</summary>
    public static MarketDataFormat? FormatFromExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".parquet" or ".pq" => MarketDataFormat.Parquet,
            ".json" => MarketDataFormat.BinanceKlineJson,
            _ => null,
        };
}
