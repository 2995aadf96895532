namespace Predictive.Core.Rebalancing.Planning;

/// <summary>The swaps that carry out a decision, in execution order (sells before the buys they fund), with notes on what was left undone.</summary>
/// <param name="Swaps">Every swap, slices included.</param>
/// <param name="Notes">Legs skipped or shortened, and why.</param>
public sealed record TradePlan(IReadOnlyList<PlannedSwap> Swaps, IReadOnlyList<string> Notes)
{
    /// <summary>A plan that trades nothing.</summary>
    public static TradePlan Empty { get; } = new([], []);

    /// <summary>Whether the plan trades nothing.</summary>
    public bool IsEmpty => Swaps.Count == 0;

    /// <summary>The number of bars the plan spans (0 when empty).</summary>
    public int BarCount => Swaps.Count == 0 ? 0 : Swaps.Max(s => s.BarOffset) + 1;

    /// <summary>The swaps due at <paramref name="barOffset"/>, in execution order.</summary>
    public IEnumerable<PlannedSwap> Due(int barOffset) => Swaps.Where(s => s.BarOffset == barOffset);

    /// <summary>The summed estimate of every swap.</summary>
    public RebalanceCost EstimatedCost => new(
        Swaps.Sum(s => s.Estimate.FeeQuote),
        Swaps.Sum(s => s.Estimate.ImpactQuote),
        Swaps.Sum(s => s.Estimate.GasQuote),
        Swaps.Count,
        Swaps.Sum(s => s.Estimate.NotionalQuote));
}
