namespace Predictive.Core.Rebalancing.Costs;

/// <summary>
/// The cost of one swap, split into its parts and valued in quote units at reference prices.
/// Fee + impact is exactly the value given up in the swap: amountIn·priceIn − amountOut·priceOut.
/// </summary>
/// <param name="AmountIn">Input, in input-token units.</param>
/// <param name="AmountOut">Output from the constant-product formula, in output-token units.</param>
/// <param name="MinAmountOut">The minimum output accepted: AmountOut × (1 − SlippageBps/10⁴).</param>
/// <param name="NotionalQuote">AmountIn valued at the input's reference price.</param>
/// <param name="FeeQuote">The pool fee: AmountIn × fee × priceIn.</param>
/// <param name="ImpactQuote">The rest of the shortfall: AmountIn·(1 − fee)·priceIn − AmountOut·priceOut.</param>
/// <param name="GasQuote">Gas: units × gwei × 10⁻⁹ × native price.</param>
/// <param name="GasUnits">Gas units charged.</param>
/// <param name="PriceImpactBps">The pool's own price impact, inAfterFee / (reserveIn + inAfterFee), in basis points.</param>
public sealed record SwapCostEstimate(
    decimal AmountIn,
    decimal AmountOut,
    decimal MinAmountOut,
    decimal NotionalQuote,
    decimal FeeQuote,
    decimal ImpactQuote,
    decimal GasQuote,
    long GasUnits,
    double PriceImpactBps)
{
    /// <summary>Fee + impact + gas, in quote units.</summary>
    public decimal TotalQuote => FeeQuote + ImpactQuote + GasQuote;
}
