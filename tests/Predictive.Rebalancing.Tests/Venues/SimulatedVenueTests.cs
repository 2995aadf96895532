using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Venues;

[TestClass]
public sealed class SimulatedVenueTests
{
    private static readonly string[] Assets = ["ETH", "BTC"];

    [TestMethod]
    public async Task GetSnapshotAsync_ClockAtBarClose_AnchorsPoolsToThatClose()
    {
        var panel = Some.Panel(Assets, [[2_000, 2_100, 2_200], [40_000, 41_000, 42_000]]);
        var clock = Some.ClockAtCloseOf(1);
        var venue = Some.Venue(panel, clock, options: new SimulatedVenueOptions { QuoteAsset = Some.Quote, FixedDepthQuote = 1_000_000m });

        var s = await venue.GetSnapshotAsync();

        Assert.AreEqual(2_100, s.ReferencePrice("ETH"));
        Assert.IsTrue(s.TryGetPool("ETH", Some.Quote, out var pool));
        Assert.AreEqual(1_000_000m, pool.ReserveOf(Some.Quote));
        Assert.AreEqual(2_100, pool.MidPrice("ETH"), 1e-9);
    }

    [TestMethod]
    public async Task GetSnapshotAsync_BeforeFirstBarCloses_Throws()
    {
        var venue = Some.Venue(Some.ConstantPanel(Assets, [2_000, 40_000]), new(Some.Start.AddHours(12)));

        await Assert.ThrowsExactlyAsync<VenueException>(() => venue.GetSnapshotAsync());
    }

    [TestMethod]
    public async Task ExecuteAsync_Swap_FillsByConstantProductMovesPoolAndReanchorsNextBar()
    {
        var clock = Some.ClockAtCloseOf(0);
        var venue = Some.Venue(Some.ConstantPanel(Assets, [2_000, 40_000]), clock, options: new SimulatedVenueOptions { QuoteAsset = Some.Quote, FixedDepthQuote = 2_000_000m });
        var order = new SwapOrder("ETH", Some.Quote, 10m, 0m);

        var fill = await venue.ExecuteAsync(order);
        var moved = await venue.GetSnapshotAsync();
        clock.Advance(TimeSpan.FromDays(1));
        var next = await venue.GetSnapshotAsync();

        Assert.AreEqual(FillStatus.Filled, fill.Status);
        Assert.AreEqual(ConstantProduct.AmountOut(10m, 1_000m, 2_000_000m, 30), fill.AmountOut);
        Assert.AreEqual(60m, fill.FeeQuote);
        Assert.AreEqual(20_000m - 60m - fill.AmountOut, fill.ImpactQuote);
        Assert.AreEqual(130_000L, fill.GasUnits);
        Assert.AreEqual(0.0039m, fill.GasNative);
        Assert.AreEqual(7.8m, fill.GasQuote);
        Assert.IsTrue(moved.TryGetPool("ETH", Some.Quote, out var p1));
        Assert.AreEqual(1_010m, p1.ReserveOf("ETH"), "the whole input, fee included, stays in the pool");
        Assert.IsTrue(next.TryGetPool("ETH", Some.Quote, out var p2));
        Assert.AreEqual(1_000m, p2.ReserveOf("ETH"), "the next bar re-anchors");
        Assert.HasCount(1, venue.Fills);
    }

    [TestMethod]
    public async Task ExecuteAsync_OutputBelowMinimum_RevertsButChargesGas()
    {
        var venue = Some.Venue(Some.ConstantPanel(Assets, [2_000, 40_000]), Some.ClockAtCloseOf(0));

        var fill = await venue.ExecuteAsync(new SwapOrder("ETH", Some.Quote, 1m, 2_000m));

        Assert.AreEqual(FillStatus.Reverted, fill.Status);
        Assert.AreEqual(0m, fill.AmountOut);
        Assert.IsGreaterThan(0m, fill.GasQuote);
    }

    [TestMethod]
    public async Task QuoteAsync_NoPoolForPair_ThrowsNamingThePair()
    {
        var venue = Some.Venue(Some.ConstantPanel(Assets, [2_000, 40_000]), Some.ClockAtCloseOf(0));

        var ex = await Assert.ThrowsExactlyAsync<VenueException>(() => venue.QuoteAsync(new SwapOrder("ETH", "BTC", 1m, 0m)));

        Assert.Contains("ETH/BTC", ex.Message);
    }

    [TestMethod]
    public async Task GetSnapshotAsync_DepthFromVolume_IsMultipleOfRollingDollarVolume()
    {
        var panel = Some.Panel(["ETH"], [[2_000, 2_000, 2_000]], [[1e9, 2e9, 3e9]]);
        var options = new SimulatedVenueOptions { QuoteAsset = Some.Quote, DepthMode = PoolDepthMode.FromVolume, DepthVolumeMultiple = 0.01, VolumeWindowBars = 2 };
        var venue = Some.Venue(panel, Some.ClockAtCloseOf(2), options: options);

        var s = await venue.GetSnapshotAsync();

        Assert.IsTrue(s.TryGetPool("ETH", Some.Quote, out var pool));
        Assert.AreEqual(25_000_000m, pool.ReserveOf(Some.Quote), "0.01 × mean(2e9, 3e9)");
    }

    [TestMethod]
    public async Task GetSnapshotAsync_QuoteAssetInPanel_PricesInQuoteUnits()
    {
        var panel = Some.Panel(["ETH", Some.Quote], [[2_000], [0.8]]);
        var venue = Some.Venue(panel, Some.ClockAtCloseOf(0), options: new SimulatedVenueOptions { QuoteAsset = Some.Quote, DirectPairs = ["ETH/BTC"] });

        var s = await venue.GetSnapshotAsync();

        Assert.AreEqual(2_500, s.ReferencePrice("ETH"), 1e-9);
        Assert.AreEqual(1, s.ReferencePrice(Some.Quote));
        Assert.IsFalse(s.TryGetPool("ETH", "BTC", out _), "a direct pair without prices for both sides is left out");
    }
}
