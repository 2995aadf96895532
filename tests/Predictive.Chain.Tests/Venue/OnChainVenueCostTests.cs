using Predictive.Chain.Tests.Rpc;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Chain.Tests.Venue;

/// <summary>The on-chain venue prices through Core's cost model, at the pool's reserves read from the chain.</summary>
[TestClass]
public sealed class OnChainVenueCostTests : SharedAnvilTests
{
    [TestMethod]
    public async Task QuoteAsync_BuyOrder_FeeAndImpactAreCoreModelsAtThePoolsReserves()
    {
        using var world = await OnChainWorld.DeployAsync(Client, SharedAnvil.Endpoint);
        var venue = world.Venue(Client, keeper: null, dryRun: true);
        var snapshot = await venue.GetSnapshotAsync();
        var pool = snapshot.Pools.Single(p => p.Id == "BTC/USDC");

        var quote = await venue.QuoteAsync(new SwapOrder("USDC", "BTC", 3_000m, 0m));

        // Uniswap V2 with its 0.3% fee, computed here from the reserves: out = in·997·R_out / (R_in·1000 + in·997).
        var reserveIn = pool.ReserveOf("USDC");
        var reserveOut = pool.ReserveOf("BTC");
        var uniswapOut = 3_000m * 997 * reserveOut / ((reserveIn * 1_000) + (3_000m * 997));
        Assert.AreEqual(3_000m * 30 / 10_000, quote.Cost.FeeQuote, "fee = notional × 30 bps");
        Assert.AreEqual(ConstantProduct.PriceImpact(3_000m, reserveIn, 30) * 10_000, quote.Cost.PriceImpactBps, 1e-9);
        Assert.AreEqual((double)uniswapOut, (double)quote.Cost.AmountOut, (double)uniswapOut * 1e-12, "the router's integer quote");
        Assert.AreEqual(
            (double)(3_000m - quote.Cost.FeeQuote - (quote.Cost.AmountOut * (decimal)pool.MidPrice("BTC"))),
            (double)quote.Cost.ImpactQuote,
            1e-9,
            "impact = notional − fee − output at the mid price");
    }
}
