namespace Predictive.Core.MarketData;

/// <summary>
/// A panel flattened to long rows for writing: observed bars only, sorted by (timestamp, symbol), in chunks. Skipping
/// NaN and forward-filled bars makes write-then-read rebuild the same panel under the same missing-data policy.
/// </summary>
internal sealed class LongRows
{
    private LongRows(int capacity)
    {
        Timestamps = new DateTime[capacity];
        Symbols = new string[capacity];
        Close = new double[capacity];
        Open = new double[capacity];
        High = new double[capacity];
        Low = new double[capacity];
        Volume = new double[capacity];
    }

    public DateTime[] Timestamps { get; private set; }

    public string[] Symbols { get; private set; }

    public double[] Close { get; private set; }

    public double[] Open { get; private set; }

    public double[] High { get; private set; }

    public double[] Low { get; private set; }

    public double[] Volume { get; private set; }

    /// <summary>The asset columns in ordinal symbol order, the order readers rebuild.</summary>
    public static int[] SymbolOrder(PricePanel panel) =>
        Enumerable.Range(0, panel.AssetCount).OrderBy(a => panel.Assets[a], StringComparer.Ordinal).ToArray();

    public static bool IsWritten(PricePanel panel, int asset, int bar) =>
        panel.Observed(asset)[bar] && double.IsFinite(panel.Close(asset)[bar]);

    public static IEnumerable<LongRows> Chunks(PricePanel panel, int rowsPerChunk)
    {
        var order = SymbolOrder(panel);
        var chunk = new LongRows(rowsPerChunk);
        var n = 0;
        for (var t = 0; t < panel.BarCount; t++)
        {
            var stamp = panel.Timestamps[t].UtcDateTime;
            foreach (var a in order)
            {
                if (!IsWritten(panel, a, t))
                {
                    continue;
                }

                chunk.Timestamps[n] = stamp;
                chunk.Symbols[n] = panel.Assets[a];
                chunk.Close[n] = panel.Close(a)[t];
                if (panel.HasOhlc)
                {
                    chunk.Open[n] = panel.Open(a)[t];
                    chunk.High[n] = panel.High(a)[t];
                    chunk.Low[n] = panel.Low(a)[t];
                }

                if (panel.HasVolume)
                {
                    chunk.Volume[n] = panel.Volume(a)[t];
                }

                if (++n == rowsPerChunk)
                {
                    yield return chunk;
                    chunk = new LongRows(rowsPerChunk);
                    n = 0;
                }
            }
        }

        if (n > 0)
        {
            chunk.Truncate(n);
            yield return chunk;
        }
    }

    private void Truncate(int n)
    {
        Timestamps = Timestamps[..n];
        Symbols = Symbols[..n];
        Close = Close[..n];
        Open = Open[..n];
        High = High[..n];
        Low = Low[..n];
        Volume = Volume[..n];
    }
}
