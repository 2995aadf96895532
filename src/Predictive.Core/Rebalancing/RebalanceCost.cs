namespace Predictive.Core.Rebalancing;

/// <summary>The estimated cost of a whole move between two weight vectors, in quote units.</summary>
/// <param name="FeeQuote">Pool fees.</param>
/// <param name="ImpactQuote">Price impact.</param>
/// <param name="GasQuote">Gas.</param>
/// <param name="SwapCount">Swaps (slices included).</param>
/// <param name="TradedQuote">Notional traded (sum of swap inputs at reference prices).</param>
public sealed record RebalanceCost(decimal FeeQuote, decimal ImpactQuote, decimal GasQuote, int SwapCount, decimal TradedQuote)
{
    /// <summary>No trade, no cost.</summary>
    public static RebalanceCost None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Fee + impact + gas.</summary>
    public decimal TotalQuote => FeeQuote + ImpactQuote + GasQuote;
}
