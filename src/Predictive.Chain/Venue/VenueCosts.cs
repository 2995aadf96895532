using System.Numerics;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>
/// The on-chain venue's cost model: Core's <see cref="SwapCostModel"/> (pool fee, constant-product impact in basis
/// points) at the pool's mid prices before the swap, with the output the chain gave (or quoted) and the gas units used
/// in place of the model's, so the impact charged is what the trade really lost after the fee; and the minimum output
/// the slippage tolerance allows, on base units.
/// </summary>
internal sealed class VenueCosts(SwapCostOptions options)
{
    private readonly SwapCostModel _model = new(options);

    /// <summary>The options.</summary>
    public SwapCostOptions Options => _model.Options;

    /// <summary>The cost of swapping <paramref name="amountIn"/> for <paramref name="amountOut"/> in <paramref name="pool"/>.</summary>
    public SwapCostEstimate Cost(PoolState pool, string quoteAsset, string assetIn, string assetOut, decimal amountIn, decimal amountOut, GasQuote gas, long gasUnits)
    {
        var priceIn = assetIn == quoteAsset ? 1.0 : pool.MidPrice(assetIn);
        var priceOut = assetOut == quoteAsset ? 1.0 : pool.MidPrice(assetOut);
        var model = _model.Estimate(amountIn, pool.ReserveOf(assetIn), pool.ReserveOf(assetOut), priceIn, priceOut, gas, pool.FeeBps);
        return model with
        {
            AmountOut = amountOut,
            ImpactQuote = model.NotionalQuote - model.FeeQuote - (amountOut * (decimal)priceOut),
            GasQuote = gas.CostQuote(gasUnits),
            GasUnits = gasUnits,
        };
    }

    /// <summary>quoted × (1 − SlippageBps/10⁴), rounded down, on base units.</summary>
    public BigInteger MinimumOut(BigInteger quoted) => quoted * (10_000 - Options.SlippageBps) / 10_000;
}
