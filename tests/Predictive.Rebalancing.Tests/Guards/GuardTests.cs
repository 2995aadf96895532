using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Policies;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Guards;

[TestClass]
public sealed class GuardTests
{
    private static readonly string[] Assets = ["ETH", "BTC"];
    private static readonly double[] Prices = [2_000, 40_000];

    private static VenueSnapshot Day(int day, decimal depth, double ethPrice = 2_000, IEnumerable<PoolState>? extra = null) =>
        Some.Snapshot(Assets, [ethPrice, 40_000], depth, time: Some.Start.AddDays(day), extraPools: extra);

    [TestMethod]
    public void Liquidity_PoolDrainedOverWindow_Fires()
    {
        var guard = new LiquidityGuard(new LiquidityGuardOptions { MinLiquidityQuote = 1_000_000m, MaxDropFraction = 0.5, WindowBars = 5 });
        var history = new[] { Day(0, 40_000_000m), Day(1, 30_000_000m), Day(2, 20_000_000m) };

        var fired = guard.Check(Some.Context(Day(3, 15_000_000m), Assets, [0.6, 0.4], [0.5, 0.5], history: history));
        var calm = guard.Check(Some.Context(Day(3, 35_000_000m), Assets, [0.6, 0.4], [0.5, 0.5], history: history));

        Assert.IsTrue(fired.Fired, fired.Detail);
        Assert.AreEqual(0.625, fired.Value, 1e-12, "30 M of liquidity against a peak of 80 M");
        Assert.IsFalse(calm.Fired, calm.Detail);
    }

    [TestMethod]
    public void ReferenceHygiene_FaultsOnTheSnapshot_FiresNamingEachFaultEvenForAnUntargetedAsset()
    {
        var guard = new ReferenceHygieneGuard();
        var honest = Day(0, 10_000_000m);
        ReferenceFault[] faults =
        [
            new("USDC", "0xfeed1", "stale", "USDC feed 0xfeed1 stale: 3660 s old."),
            new("SOL", "0xfeed2", "non-positive", "SOL feed 0xfeed2 non-positive: answer 0."),
        ];
        var faulty = honest.WithReferencePrices(honest.ReferencePrices, faults);

        var fired = guard.Check(Some.Context(faulty, Assets, [0.6, 0.4], [0.5, 0.5]));
        var calm = guard.Check(Some.Context(honest, Assets, [0.6, 0.4], [0.5, 0.5]));

        Assert.IsTrue(fired.Fired);
        Assert.AreEqual("USDC feed 0xfeed1 stale: 3660 s old. SOL feed 0xfeed2 non-positive: answer 0.", fired.Detail);
        Assert.AreEqual(2.0, fired.Value);
        Assert.AreEqual("USDC", fired.Asset);
        Assert.IsFalse(calm.Fired, calm.Detail);
        Assert.AreEqual(0.0, calm.Value);
    }

    [TestMethod]
    public void Liquidity_BelowMinimum_Fires()
    {
        var guard = new LiquidityGuard(new LiquidityGuardOptions { MinLiquidityQuote = 1_000_000m });

        var r = guard.Check(Some.Context(Day(0, 400_000m), Assets, [0.6, 0.4], [0.5, 0.5]));

        Assert.IsTrue(r.Fired);
        Assert.Contains("below the minimum", r.Detail);
    }

    [TestMethod]
    public void PriceDeviation_PoolOffOracle_Fires()
    {
        var guard = new PriceDeviationGuard(new PriceDeviationGuardOptions { ToleranceBps = 200 });
        var honest = Day(0, 10_000_000m);
        // The ETH pool holds the reserves of a 2,100 price while the oracle says 2,000: 5 % off.
        var pools = honest.Pools.Select(p => p.Token0 == "ETH" ? p with { Reserve0 = 10_000_000m / 2_100m } : p).ToList();
        var manipulated = new VenueSnapshot(honest.Time, Some.Quote, pools, honest.ReferencePrices.Where(kv => kv.Key != Some.Quote).ToDictionary(), honest.Gas);

        var fired = guard.Check(Some.Context(manipulated, Assets, [0.6, 0.4], [0.5, 0.5]));
        var calm = guard.Check(Some.Context(honest, Assets, [0.6, 0.4], [0.5, 0.5]));

        Assert.IsTrue(fired.Fired);
        Assert.AreEqual("ETH", fired.Asset);
        Assert.AreEqual(500, fired.Value, 1e-6);
        Assert.IsFalse(calm.Fired);
    }

    [TestMethod]
    public void Volatility_FlashCrash_Fires()
    {
        var guard = new VolatilityCircuitBreaker(new VolatilityCircuitBreakerOptions { WindowBars = 5, MaxAnnualizedVolatility = 2.0, BarsPerYear = 365 });
        var calmHistory = new[] { Day(0, 1e7m), Day(1, 1e7m, 2_010), Day(2, 1e7m, 1_995), Day(3, 1e7m, 2_005) };
        var crashHistory = new[] { Day(0, 1e7m), Day(1, 1e7m, 2_010), Day(2, 1e7m, 1_995), Day(3, 1e7m, 1_400) };

        var fired = guard.Check(Some.Context(Day(4, 1e7m, 1_300), Assets, [0.6, 0.4], [0.5, 0.5], history: crashHistory));
        var calm = guard.Check(Some.Context(Day(4, 1e7m, 2_000), Assets, [0.6, 0.4], [0.5, 0.5], history: calmHistory));

        Assert.IsTrue(fired.Fired, fired.Detail);
        Assert.AreEqual("ETH", fired.Asset);
        Assert.IsFalse(calm.Fired, calm.Detail);
    }

    [TestMethod]
    public void GuardedPolicy_GuardFires_BlocksTradeAndNamesGuard()
    {
        var policy = new GuardedPolicy(new FullRebalancePolicy(Some.Economics()), [new LiquidityGuard(), new PriceDeviationGuard()]);

        var blocked = policy.Decide(Some.Context(Day(0, 100_000m), Assets, [0.6, 0.4], [0.5, 0.5]));
        var allowed = policy.Decide(Some.Context(Day(0, 10_000_000m), Assets, [0.6, 0.4], [0.5, 0.5]));

        Assert.IsFalse(blocked.Trade);
        Assert.AreEqual(DecisionReason.GuardFired, blocked.Reason);
        Assert.AreEqual("liquidity", blocked.FiredGuards.Single().Guard);
        Assert.Contains("liquidity", blocked.Explanation);
        CollectionAssert.AreEqual(new[] { 0.6, 0.4 }, blocked.NewWeights);
        Assert.IsTrue(allowed.Trade);
        Assert.HasCount(2, allowed.Guards);
        Assert.IsFalse(allowed.FiredGuards.Any());
    }
}
