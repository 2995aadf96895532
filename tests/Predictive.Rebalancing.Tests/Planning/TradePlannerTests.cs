using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Planning;

[TestClass]
public sealed class TradePlannerTests
{
    private static readonly string[] Assets = ["ETH", "BTC", Some.Quote];
    private static readonly double[] Prices = [2_000, 40_000, 1];

    [TestMethod]
    public void Plan_Rebalance_SellsThroughQuoteBeforeBuying()
    {
        var planner = new TradePlanner(new SwapCostModel());
        var market = Some.Snapshot(Assets, Prices, 50_000_000m);
        var holdings = Holdings.FromWeights(Assets, [0.7, 0.2, 0.1], 1_000_000m, market);

        var plan = planner.Plan(market, holdings, Assets, [0.5, 0.4, 0.1]);

        Assert.HasCount(2, plan.Swaps);
        Assert.AreEqual(new SwapOrder("ETH", Some.Quote, 100m, plan.Swaps[0].Estimate.MinAmountOut), plan.Swaps[0].Order);
        Assert.AreEqual(Some.Quote, plan.Swaps[1].Order.AssetIn);
        Assert.AreEqual("BTC", plan.Swaps[1].Order.AssetOut);
        Assert.IsTrue(plan.Swaps.All(s => s.BarOffset == 0));
    }

    [TestMethod]
    public void Plan_DirectPoolExists_UsesOneSwapInsteadOfTwo()
    {
        var planner = new TradePlanner(new SwapCostModel());
        var direct = new PoolState("ETH/BTC", "ETH", "BTC", 25_000m, 1_250m, 30);
        var market = Some.Snapshot(Assets, Prices, 50_000_000m, extraPools: [direct]);
        var holdings = Holdings.FromWeights(Assets, [0.7, 0.2, 0.1], 1_000_000m, market);

        var plan = planner.Plan(market, holdings, Assets, [0.5, 0.4, 0.1]);

        Assert.HasCount(1, plan.Swaps);
        Assert.AreEqual("ETH/BTC", plan.Swaps[0].PoolId);
        Assert.AreEqual(100m, plan.Swaps[0].Order.AmountIn);
    }

    [TestMethod]
    public void Plan_ImpactAboveLimit_SplitsIntoTwapSlicesOverLaterBars()
    {
        var planner = new TradePlanner(new SwapCostModel(), new TradePlannerOptions { MaxPriceImpactBps = 50 });
        var market = Some.Snapshot(Assets, Prices, 2_000_000m);
        var holdings = Holdings.FromWeights(Assets, [0.5, 0.0, 0.5], 1_000_000m, market);

        // Selling 200,000 of ETH into a 2 M pool is a 10 % impact; 0.5 % slices need about 20 bars.
        var plan = planner.Plan(market, holdings, Assets, [0.3, 0.0, 0.7]);

        Assert.IsGreaterThan(15, plan.Swaps.Count);
        Assert.AreEqual(plan.Swaps.Count, plan.BarCount, "one slice per bar");
        Assert.IsTrue(plan.Swaps.All(s => s.Estimate.PriceImpactBps <= 50));
        Assert.AreEqual(100m, plan.Swaps.Sum(s => s.Order.AmountIn), 1e-18m);
    }

    [TestMethod]
    public void Plan_DriftBelowMinimumTrade_PlansNothing()
    {
        var planner = new TradePlanner(new SwapCostModel(), new TradePlannerOptions { MinTradeQuote = 1_000m });
        var market = Some.Snapshot(Assets, Prices, 50_000_000m);
        var holdings = Holdings.FromWeights(Assets, [0.5005, 0.4995, 0], 1_000_000m, market);

        Assert.IsTrue(planner.Plan(market, holdings, Assets, [0.5, 0.5, 0]).IsEmpty);
    }
}
