namespace Predictive.Core.Venues;

/// <summary>How a swap ended.</summary>
public enum FillStatus
{
    /// <summary>The swap executed.</summary>
    Filled = 0,

    /// <summary>The output would have been below the order's minimum; nothing was swapped but gas was spent.</summary>
    Reverted = 1,
}

/// <summary>A swap's outcome as reported by a venue. Amounts are token units; costs are quote units at reference prices.</summary>
/// <param name="Order">The order.</param>
/// <param name="PoolId">The pool used.</param>
/// <param name="Time">When it executed.</param>
/// <param name="Status">Filled or reverted.</param>
/// <param name="AmountIn">Input taken (0 when reverted).</param>
/// <param name="AmountOut">Output paid (0 when reverted).</param>
/// <param name="FeeQuote">Pool fee in quote units.</param>
/// <param name="ImpactQuote">Price impact in quote units (shortfall after fee against the reference price).</param>
/// <param name="PriceImpactBps">The pool's own price impact, in basis points.</param>
/// <param name="GasUnits">Gas used.</param>
/// <param name="GasNative">Gas paid in native token.</param>
/// <param name="GasQuote">Gas paid, in quote units.</param>
public sealed record SwapFill(
    SwapOrder Order,
    string PoolId,
    DateTimeOffset Time,
    FillStatus Status,
    decimal AmountIn,
    decimal AmountOut,
    decimal FeeQuote,
    decimal ImpactQuote,
    double PriceImpactBps,
    long GasUnits,
    decimal GasNative,
    decimal GasQuote)
{
    /// <summary>Fee + impact + gas, in quote units.</summary>
    public decimal TotalCostQuote => FeeQuote + ImpactQuote + GasQuote;
}
