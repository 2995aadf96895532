using System.Text.Json;
using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>A plan whose later slices are still to come, and the bar it was made at.</summary>
/// <param name="Plan">The plan.</param>
/// <param name="Bar">The bar it was made (and its first slices sent) at; slice k is due at <c>Bar + k</c>.</param>
public sealed record PendingPlan(TradePlan Plan, int Bar)
{
    /// <summary>Whether slices of the plan fall due at <paramref name="bar"/>.</summary>
    public bool IsDueAt(int bar) => bar > Bar && bar - Bar < Plan.BarCount;
}

/// <summary>
/// What the composition carries from one bar to the next: the pending plan, and, live, the rolling history of venue
/// snapshots (pools and reference prices) the guards and the risk model read and the bar counter. A backtest rebuilds
/// its history from the data; a live keeper keeps it here and saves it beside its journal (<see cref="Save(string)"/>).
/// </summary>
public sealed class PipelineState
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The bar index of the next decision (live: one per run).</summary>
    public int NextBar { get; set; }

    /// <summary>The plan whose later slices are still due, if any.</summary>
    public PendingPlan? Pending { get; set; }

    /// <summary>Venue snapshots of earlier bars, oldest first (live only).</summary>
    public List<SnapshotRecord> History { get; init; } = [];

    /// <summary>Reference prices of earlier bars and of the current one, oldest first, for the risk model (live only).</summary>
    public List<ReferencePriceRow> Prices { get; init; } = [];

    /// <summary>The last <paramref name="bars"/> snapshots, oldest first.</summary>
    public IReadOnlyList<VenueSnapshot> Snapshots(int bars) => [.. History.Skip(Math.Max(0, History.Count - bars)).Select(h => h.ToSnapshot())];

    /// <summary>Appends a bar's snapshot and its reference prices, keeping the last <paramref name="keepSnapshots"/> and <paramref name="keepPrices"/>.</summary>
    public void Record(VenueSnapshot snapshot, int keepSnapshots, int keepPrices)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var record = SnapshotRecord.Of(snapshot);
        History.Add(record);
        Trim(History, keepSnapshots);
        AddPrices(new ReferencePriceRow(snapshot.Time, record.ReferencePrices), keepPrices);
    }

    /// <summary>Appends reference prices unless a row at that time is already there (a seeded history overlapping the present).</summary>
    public void AddPrices(ReferencePriceRow row, int keep)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Prices.Count > 0 && Prices[^1].Time >= row.Time)
        {
            return;
        }

        Prices.Add(row);
        Trim(Prices, keep);
    }

    /// <summary>
    /// The risk model over <paramref name="assets"/> from the last <c>estimator.Window + 1</c> price rows (the current
    /// bar's last) with the backtest's <see cref="RiskEstimator"/>; null until that many rows are there. The quote asset,
    /// when listed, is cash: zero variance.
    /// </summary>
    public RiskEstimate? Risk(RiskEstimator estimator, IReadOnlyList<string> assets, string quoteAsset)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(assets);
        var w = estimator.Window;
        if (Prices.Count < w + 1)
        {
            return null;
        }

        // The quote asset is cash (zero variance, zero return); the estimator sees only the others.
        var risky = assets.Where(a => a != quoteAsset).ToArray();
        var m = risky.Length;
        var returns = new double[w * m];
        var first = Prices.Count - w;
        for (var k = 0; k < w; k++)
        {
            for (var a = 0; a < m; a++)
            {
                returns[(k * m) + a] = LogReturn(Prices[first + k - 1], Prices[first + k], risky[a]);
            }
        }

        var estimate = estimator.Estimate(returns, w, m);
        if (m == assets.Count)
        {
            return estimate;
        }

        var n = assets.Count;
        var index = assets.Select(a => Array.IndexOf(risky, a)).ToArray();
        var cov = new double[n * n];
        var mu = new double[n];
        for (var r = 0; r < n; r++)
        {
            mu[r] = index[r] < 0 ? 0 : estimate.ExpectedReturns[index[r]];
            for (var c = 0; c < n; c++)
            {
                cov[(r * n) + c] = index[r] < 0 || index[c] < 0 ? 0 : estimate[index[r], index[c]];
            }
        }

        return new RiskEstimate(cov, mu);
    }

    /// <summary>The state saved at <paramref name="path"/>, or a fresh one when there is none.</summary>
    /// <exception cref="InvalidDataException">The file is not a saved state.</exception>
    public static PipelineState Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Load(new FileStateDocuments(Path.GetDirectoryName(Path.GetFullPath(path))!), Path.GetFileName(path));
    }

    /// <summary>Loads the state saved as <paramref name="key"/> in <paramref name="documents"/>, or a fresh state when there is none.</summary>
    /// <exception cref="InvalidDataException">The document is not a saved state.</exception>
    public static PipelineState Load(IStateDocuments documents, string key)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Read(key) is not { } text)
        {
            return new PipelineState();
        }

        try
        {
            return JsonSerializer.Deserialize<PipelineState>(text, Json)
                ?? throw new InvalidDataException($"Keeper state '{documents.Describe(key)}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Keeper state '{documents.Describe(key)}' is not a saved keeper state: {e.Message}", e);
        }
    }

    /// <summary>Saves the state at <paramref name="path"/>: written to a temporary file beside it, flushed, then renamed over it.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Save(new FileStateDocuments(Path.GetDirectoryName(Path.GetFullPath(path))!), Path.GetFileName(path));
    }

    /// <summary>Saves the state as <paramref name="key"/> in <paramref name="documents"/> (atomically and durably).</summary>
    public void Save(IStateDocuments documents, string key)
    {
        ArgumentNullException.ThrowIfNull(documents);
        documents.Write(key, JsonSerializer.Serialize(this, Json));
    }

    private static double LogReturn(ReferencePriceRow before, ReferencePriceRow after, string asset) =>
        before.Prices.TryGetValue(asset, out var p0) && after.Prices.TryGetValue(asset, out var p1)
            ? FeaturePlan.LogPrice(p1) - FeaturePlan.LogPrice(p0)
            : double.NaN;

    private static void Trim<T>(List<T> list, int keep)
    {
        if (list.Count > keep)
        {
            list.RemoveRange(0, list.Count - keep);
        }
    }
}
