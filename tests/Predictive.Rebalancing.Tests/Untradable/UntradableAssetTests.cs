using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Untradable;

/// <summary>
/// The venue, planner, executor and guards under the rule for assets that stop trading (docs/backtesting.md): an asset
/// without a price or without a pool is kept at its last price and left alone, never an exception.
/// </summary>
[TestClass]
public sealed class UntradableAssetTests
{
    private static readonly string[] Assets = ["ETH", "BTC"];

    [TestMethod]
    public async Task GetSnapshotAsync_AssetRowsEnded_NoPoolButItsLastPriceCarried()
    {
        // BTC's closes end after bar 1; ETH trades on.
        var panel = Some.Panel(Assets, [[2_000, 2_100, 2_200, 2_300], [40_000, 41_000, double.NaN, double.NaN]]);
        var venue = Some.Venue(panel, Some.ClockAtCloseOf(3));

        var s = await venue.GetSnapshotAsync();

        Assert.IsFalse(s.HasPrice("BTC"));
        Assert.IsFalse(s.CanTrade("BTC"));
        Assert.IsTrue(s.CanTrade("ETH"));
        Assert.AreEqual(new LastPrice(41_000, Some.Start.AddDays(2)), s.LastPrices["BTC"]);
        Assert.AreEqual(41_000, s.MarkPrice("BTC"));
        await Assert.ThrowsExactlyAsync<VenueException>(() => venue.QuoteAsync(new SwapOrder("BTC", Some.Quote, 1m, 0m)));
    }

    [TestMethod]
    public async Task GetSnapshotAsync_AssetNotListedYet_NeitherPriceNorLastPrice()
    {
        var panel = Some.Panel(Assets, [[2_000, 2_100, 2_200], [double.NaN, double.NaN, 40_000]]);
        var s = await Some.Venue(panel, Some.ClockAtCloseOf(1)).GetSnapshotAsync();

        Assert.IsFalse(s.HasPrice("BTC"));
        Assert.IsFalse(s.LastPrices.ContainsKey("BTC"));
        Assert.ThrowsExactly<KeyNotFoundException>(() => s.MarkPrice("BTC"));
    }

    [TestMethod]
    public async Task GetSnapshotAsync_QuoteCloseMissing_ItsLastCloseConvertsPrices()
    {
        string[] assets = ["ETH", Some.Quote];
        var panel = Some.Panel(assets, [[2_000, 2_100, 2_200], [1.01, double.NaN, double.NaN]]);
        var s = await Some.Venue(panel, Some.ClockAtCloseOf(2)).GetSnapshotAsync();

        Assert.AreEqual(2_200 / 1.01, s.ReferencePrice("ETH"), 1e-9);
    }

    [TestMethod]
    public void Plan_HeldAssetWithoutPrice_KeptAtItsLastPriceAndNoted()
    {
        var market = WithStrandedBtc(out var holdings);

        var plan = new TradePlanner(new SwapCostModel()).Plan(market, holdings, [.. Assets, Some.Quote], [1, 0, 0]);

        Assert.IsTrue(plan.Swaps.All(s => s.Order.AssetIn != "BTC" && s.Order.AssetOut != "BTC"));
        Assert.IsTrue(plan.Swaps.Any(s => s.Order.AssetOut == "ETH"), "the cash still goes to ETH");
        Assert.IsTrue(plan.Notes.Any(n => n.Contains("BTC", StringComparison.Ordinal) && n.Contains("last price 41000", StringComparison.Ordinal)), string.Join(" | ", plan.Notes));
        // 2 BTC at the last price 41,000 + 100,000 cash; ETH has nothing held.
        Assert.AreEqual(182_000m, holdings.ValueQuote(market));
    }

    [TestMethod]
    public void Plan_HeldAssetWhosePoolVanished_KeptAtItsReferencePriceAndNoted()
    {
        var refs = new Dictionary<string, double> { ["ETH"] = 2_000, ["BTC"] = 40_000 };
        var pools = new[] { new PoolState("ETH/USDC", "ETH", Some.Quote, 5_000m, 10_000_000m, 30) };
        var market = new VenueSnapshot(Some.Start, Some.Quote, pools, refs, Some.Gas());
        var holdings = new Holdings(new Dictionary<string, decimal> { ["BTC"] = 1m, [Some.Quote] = 60_000m });

        var plan = new TradePlanner(new SwapCostModel()).Plan(market, holdings, ["ETH", "BTC"], [0.5, 0.5]);

        Assert.IsFalse(market.CanTrade("BTC"));
        Assert.IsTrue(plan.Swaps.All(s => s.Order.AssetIn != "BTC" && s.Order.AssetOut != "BTC"));
        Assert.IsTrue(plan.Notes.Any(n => n.Contains("no BTC/USDC pool", StringComparison.Ordinal)), string.Join(" | ", plan.Notes));
        Assert.AreEqual(100_000m, holdings.ValueQuote(market));
    }

    [TestMethod]
    public async Task ExecuteAsync_SliceDueAfterItsAssetStoppedTrading_SkippedWithANote()
    {
        var panel = Some.Panel(Assets, [[2_000, 2_000, 2_000], [40_000, 40_000, double.NaN]]);
        var clock = Some.ClockAtCloseOf(0);
        var venue = Some.Venue(panel, clock);
        var costs = new SwapCostModel();
        var plan = new TradePlanner(costs).Plan(await venue.GetSnapshotAsync(), new Holdings(new Dictionary<string, decimal> { [Some.Quote] = 100_000m }), Assets, [0.5, 0.5]);
        var later = new TradePlan([.. plan.Swaps.Select(s => s with { BarOffset = 2 })], []);
        clock.SetUtcNow(Some.Start.AddDays(3));
        var now = await venue.GetSnapshotAsync();

        var done = await new PlanExecutor(venue, costs, new TradePlannerOptions()).ExecuteAsync(later, 2, new Holdings(new Dictionary<string, decimal> { [Some.Quote] = 100_000m }), now);

        Assert.IsTrue(done.Fills.All(f => f.Order.AssetOut == "ETH"));
        Assert.HasCount(1, done.Fills);
        Assert.IsTrue(done.Notes.Any(n => n.Contains("USDC→BTC", StringComparison.Ordinal) && n.Contains("no longer trades", StringComparison.Ordinal)), string.Join(" | ", done.Notes));
    }

    [TestMethod]
    public void Check_HeldAssetWithoutPrice_GuardsLookPastIt()
    {
        var market = WithStrandedBtc(out _);
        var context = Some.Context(market, [.. Assets], [0, 0.45], [0.55, 0.45]);

        Assert.IsFalse(new LiquidityGuard().Check(context).Fired);
        Assert.IsFalse(new PriceDeviationGuard().Check(context).Fired);
    }

    /// <summary>A snapshot where ETH trades and BTC has no price (last 41,000); 2 BTC and 100,000 USDC held.</summary>
    private static VenueSnapshot WithStrandedBtc(out Holdings holdings)
    {
        holdings = new Holdings(new Dictionary<string, decimal> { ["BTC"] = 2m, [Some.Quote] = 100_000m });
        var pools = new[] { new PoolState("ETH/USDC", "ETH", Some.Quote, 5_000m, 10_000_000m, 30) };
        return new VenueSnapshot(Some.Start, Some.Quote, pools, new Dictionary<string, double> { ["ETH"] = 2_000 }, Some.Gas(), new Dictionary<string, LastPrice> { ["BTC"] = new(41_000, Some.Start.AddDays(-3)) });
    }
}
