namespace Predictive.Core.Rebalancing.Costs;

/// <summary>
/// Prices one swap against a constant-product pool: gas + pool fee + price impact from the exact output formula
/// (<see cref="ConstantProduct"/>). The simulated venue charges through the same model, so estimates and fills agree
/// when the pool has not moved in between.
/// </summary>
public sealed class SwapCostModel
{
    /// <summary>Creates the model.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SwapCostModel(SwapCostOptions? options = null)
    {
        Options = options ?? SwapCostOptions.Default;
        Options.Validate();
    }

    /// <summary>The parameters.</summary>
    public SwapCostOptions Options { get; }

    /// <summary>Estimates a swap of <paramref name="amountIn"/> through a pool with the given reserves.</summary>
    /// <param name="amountIn">Input amount, token units, ≥ 0.</param>
    /// <param name="reserveIn">The pool's reserve of the input token.</param>
    /// <param name="reserveOut">The pool's reserve of the output token.</param>
    /// <param name="priceInQuote">Reference price of the input token, quote units per token.</param>
    /// <param name="priceOutQuote">Reference price of the output token, quote units per token.</param>
    /// <param name="gas">The gas and native prices in force.</param>
    /// <param name="feeBps">The pool's fee; <see cref="SwapCostOptions.PoolFeeBps"/> when null.</param>
    public SwapCostEstimate Estimate(decimal amountIn, decimal reserveIn, decimal reserveOut, double priceInQuote, double priceOutQuote, GasQuote gas, int? feeBps = null)
    {
        ArgumentNullException.ThrowIfNull(gas);
        if (!(double.IsFinite(priceInQuote) && priceInQuote > 0) || !(double.IsFinite(priceOutQuote) && priceOutQuote > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(priceInQuote), $"reference prices must be finite and positive; got {priceInQuote} and {priceOutQuote}.");
        }

        var fee = feeBps ?? Options.PoolFeeBps;
        var amountOut = ConstantProduct.AmountOut(amountIn, reserveIn, reserveOut, fee);
        var pIn = (decimal)priceInQuote;
        var pOut = (decimal)priceOutQuote;
        var notional = amountIn * pIn;
        var (feeQuote, impactQuote) = Planning.LegRules.FeeAndImpact(notional, amountOut, pOut, fee);
        return new SwapCostEstimate(
            amountIn,
            amountOut,
            MinimumOutput(amountOut),
            notional,
            feeQuote,
            impactQuote,
            gas.CostQuote(Options.GasUnitsPerSwap),
            Options.GasUnitsPerSwap,
            ConstantProduct.PriceImpact(amountIn, reserveIn, fee) * 10_000);
    }

    /// <summary>The minimum output a slippage tolerance allows: quoted × (1 − SlippageBps/10⁴).</summary>
    public decimal MinimumOutput(decimal quotedAmountOut) => quotedAmountOut * (10_000 - Options.SlippageBps) / 10_000m;
}
