using Parquet;
using Parquet.Schema;

namespace Predictive.Core.MarketData;

/// <summary>
/// Reads and writes Parquet in the long layout: <c>timestamp</c> (UTC timestamp, or Unix milliseconds as int64, or
/// ISO text), <c>symbol</c> (string), <c>close</c> and optional <c>open</c>, <c>high</c>, <c>low</c>, <c>volume</c>
/// (double or float). Column names are matched case-insensitively. Rows are fed to <see cref="PanelBuilder"/> in file
/// order, and the row number (1-based, across row groups) stands for the line in errors.
/// </summary>
public static class ParquetMarketData
{
    private const int RowsPerGroup = 1 << 20;
    private const string IntervalKey = "predictive.interval";
    private static readonly string[] Required = ["timestamp", "symbol", "close"];

    /// <summary>Reads a long-layout Parquet stream (must be seekable, as Parquet keeps its index at the end).</summary>
    /// <exception cref="MarketDataException">The file is not Parquet, lacks a required column, or has a bad row.</exception>
    public static async Task<PricePanel> ReadAsync(Stream stream, string source, MarketDataReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        options ??= MarketDataReadOptions.Default;
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken);
        }
        catch (IOException ex)
        {
            throw new MarketDataException(source, null, $"not a readable Parquet file: {ex.Message}", ex);
        }

        await using (reader)
        {
            var fields = reader.Schema.GetDataFields();
            DataField? Find(string name) => fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            var missing = Required.Where(n => Find(n) is null).ToList();
            if (missing.Count > 0)
            {
                throw new MarketDataException(source, null, $"the Parquet schema has no {string.Join(" or ", missing.Select(m => $"'{m}'"))} column (columns: {string.Join(", ", fields.Select(f => f.Name))}).");
            }

            var open = Find("open");
            var high = Find("high");
            var low = Find("low");
            var volume = Find("volume");
            var hasOhlc = open is not null && high is not null && low is not null;
            var builder = new PanelBuilder(source, hasOhlc, volume is not null, options.Policy);
            var symbols = new Dictionary<string, string>(StringComparer.Ordinal);
            long row = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                var stamps = await ParquetColumns.ReadTimestampsAsync(group, Find("timestamp")!, n, source, cancellationToken);
                var names = await ParquetColumns.ReadStringsAsync(group, Find("symbol")!, n, cancellationToken);
                var close = await ParquetColumns.ReadDoublesAsync(group, Find("close")!, n, source, cancellationToken);
                var o = hasOhlc ? await ParquetColumns.ReadDoublesAsync(group, open!, n, source, cancellationToken) : null;
                var h = hasOhlc ? await ParquetColumns.ReadDoublesAsync(group, high!, n, source, cancellationToken) : null;
                var l = hasOhlc ? await ParquetColumns.ReadDoublesAsync(group, low!, n, source, cancellationToken) : null;
                var v = volume is not null ? await ParquetColumns.ReadDoublesAsync(group, volume, n, source, cancellationToken) : null;
                for (var i = 0; i < n; i++)
                {
                    row++;
                    var name = names[i] ?? "";
                    if (!symbols.TryGetValue(name, out var symbol))
                    {
                        symbols.Add(name, symbol = name);
                    }

                    builder.Add(row, stamps[i], symbol, o?[i] ?? double.NaN, h?[i] ?? double.NaN, l?[i] ?? double.NaN, close[i], v?[i] ?? double.NaN);
                }
            }

            if (builder.RowCount == 0)
            {
                throw new MarketDataException(source, null, "the Parquet file has no rows.");
            }

            return builder.Build(options.Interval ?? StoredInterval(reader));
        }
    }

    // Files written here carry their interval, so even a one-bar file reads back with the right one.
    private static BarInterval? StoredInterval(ParquetReader reader)
    {
        if (reader.CustomMetadata is { } meta && meta.TryGetValue(IntervalKey, out var text))
        {
            try
            {
                return BarInterval.Parse(text);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>
    /// Writes the panel as long-layout Parquet: one row per observed bar, sorted by (timestamp, symbol). Bars that are
    /// NaN (before listing) or forward-filled are not written, so reading the file back rebuilds the same panel.
    /// </summary>
    public static async Task WriteAsync(PricePanel panel, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(stream);
        var timestamp = new DateTimeDataField("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false);
        var symbol = new DataField<string>("symbol", nullable: false);
        var close = new DataField<double>("close", nullable: false);
        var open = new DataField<double>("open", nullable: false);
        var high = new DataField<double>("high", nullable: false);
        var low = new DataField<double>("low", nullable: false);
        var volume = new DataField<double>("volume", nullable: false);
        var schemaFields = new List<Field> { timestamp, symbol };
        if (panel.HasOhlc)
        {
            schemaFields.AddRange([open, high, low]);
        }

        schemaFields.Add(close);
        if (panel.HasVolume)
        {
            schemaFields.Add(volume);
        }

        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(schemaFields), stream, null, false, cancellationToken);
        writer.CustomMetadata = new Dictionary<string, string> { [IntervalKey] = panel.Interval.ToString() };
        foreach (var chunk in LongRows.Chunks(panel, RowsPerGroup))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<DateTime>(timestamp, chunk.Timestamps, null, null, cancellationToken);
            await group.WriteAsync(symbol, chunk.Symbols);
            if (panel.HasOhlc)
            {
                await group.WriteAsync<double>(open, chunk.Open, null, null, cancellationToken);
                await group.WriteAsync<double>(high, chunk.High, null, null, cancellationToken);
                await group.WriteAsync<double>(low, chunk.Low, null, null, cancellationToken);
            }

            await group.WriteAsync<double>(close, chunk.Close, null, null, cancellationToken);
            if (panel.HasVolume)
            {
                await group.WriteAsync<double>(volume, chunk.Volume, null, null, cancellationToken);
            }
        }
    }
}
