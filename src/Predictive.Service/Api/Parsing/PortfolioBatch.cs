namespace Predictive.Service.Api.Parsing;

/// <summary>
/// A parsed targets request: one <see cref="PortfolioEntry"/> per portfolio, and the numbers of all portfolios in
/// pooled buffers, in request order. Features are stored as sent (row after row, as float32), so when every row has
/// the model's width a run of portfolios is already the [batch, assets, features] input tensor; current weights are
/// kept both as double (validation, drift) and float32 (the previous-weights tensor). Dispose returns the buffers.
/// </summary>
internal sealed class PortfolioBatch : IDisposable
{
    public PortfolioBatch(long contentLength)
    {
        // About 7 bytes per feature value in typical bodies ("-0.1234,"); sizing from the body avoids regrowth.
        var numbers = (int)Math.Clamp(contentLength / 7, 64, 4_000_000);
        Features = new PooledBuffer<float>(numbers);
        RowWidths = new PooledBuffer<int>(numbers / 8);
        Weights = new PooledBuffer<double>(numbers / 8);
        PreviousWeights = new PooledBuffer<float>(numbers / 8);
        Entries = new PooledBuffer<PortfolioEntry>(Math.Max(1, numbers / 200));
    }

    /// <summary>Whether the body had a <c>portfolios</c> array (false when it was absent or null).</summary>
    public bool HasPortfolios { get; set; }

    /// <summary>How many portfolios the body holds, including any past the batch limit (not stored).</summary>
    public int PortfolioCount { get; set; }

    public PooledBuffer<PortfolioEntry> Entries { get; }

    /// <summary>Feature values of every portfolio, row after row.</summary>
    public PooledBuffer<float> Features { get; }

    /// <summary>The width of every feature row; -1 for a null row.</summary>
    public PooledBuffer<int> RowWidths { get; }

    /// <summary>Current weights of every portfolio, as sent.</summary>
    public PooledBuffer<double> Weights { get; }

    /// <summary>The same weights as float32, laid out as the previous-weights tensor.</summary>
    public PooledBuffer<float> PreviousWeights { get; }

    public ReadOnlySpan<double> WeightsOf(in PortfolioEntry p) => Weights.Array.AsSpan(p.WeightsStart, p.WeightCount);

    public ReadOnlyMemory<float> PreviousWeightsOf(in PortfolioEntry p) => PreviousWeights.Array.AsMemory(p.WeightsStart, p.WeightCount);

    /// <summary>The features of <paramref name="p"/> when every row has width <paramref name="width"/>.</summary>
    public ReadOnlyMemory<float> FeaturesOf(in PortfolioEntry p, int width) => Features.Array.AsMemory(p.FeaturesStart, p.RowCount * width);

    /// <summary>The buffer lengths before a portfolio, to roll back to when its bytes have not all arrived.</summary>
    public (int Features, int Rows, int Weights) Mark() => (Features.Count, RowWidths.Count, Weights.Count);

    public void Rollback((int Features, int Rows, int Weights) mark)
    {
        Features.Truncate(mark.Features);
        RowWidths.Truncate(mark.Rows);
        Weights.Truncate(mark.Weights);
        PreviousWeights.Truncate(mark.Weights);
    }

    /// <summary>Forgets every portfolio (a repeated <c>portfolios</c> property replaces the earlier one, as in System.Text.Json).</summary>
    public void Clear()
    {
        Rollback((0, 0, 0));
        Entries.Truncate(0);
        PortfolioCount = 0;
    }

    public void Dispose()
    {
        Features.Dispose();
        RowWidths.Dispose();
        Weights.Dispose();
        PreviousWeights.Dispose();
        Entries.Dispose();
    }
}

/// <summary>One parsed portfolio; its numbers live in the <see cref="PortfolioBatch"/> buffers.</summary>
internal struct PortfolioEntry
{
    /// <summary>The element was JSON null.</summary>
    public bool IsNull;

    public string? Id;

    public string?[]? Assets;

    public bool HasWeights;

    public int WeightsStart;

    public int WeightCount;

    /// <summary>Whether <c>features</c> was sent (an array, possibly empty).</summary>
    public bool HasFeatures;

    public int FeaturesStart;

    public int RowsStart;

    public int RowCount;

    /// <summary>The common width of all rows, or -1 when rows differ or one is null.</summary>
    public int Width;

    /// <summary>Some feature is NaN, infinite or outside float32 range (stored as NaN).</summary>
    public bool HasNonFinite;

    public PriceHistory? Prices;

    public string? Model;

    /// <summary>
    /// Records sent features: values from <paramref name="start"/>, rows from <paramref name="rowsStart"/> up to
    /// <paramref name="rowsEnd"/>, their common <paramref name="width"/> (-2 when there are none, -1 when they differ).
    /// </summary>
    public void SetFeatures(int start, int rowsStart, int rowsEnd, int width, bool nonFinite)
    {
        HasFeatures = true;
        FeaturesStart = start;
        RowsStart = rowsStart;
        RowCount = rowsEnd - rowsStart;
        Width = width == -2 ? 0 : width;
        HasNonFinite = nonFinite;
    }
}
