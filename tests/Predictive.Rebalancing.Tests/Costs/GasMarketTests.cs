using Predictive.Tests.Shared;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Rebalancing.Tests.Costs;

[TestClass]
public sealed class GasMarketTests
{
    [TestMethod]
    public async Task At_RealDailySeries_UsesLastCompletedDayAndPanelEthPrice()
    {
        var gasFile = Prerequisites.SharedData("eth-gas-daily.csv");
        var eth = new PricePanel([new DateTimeOffset(2021, 5, 31, 0, 0, 0, TimeSpan.Zero)], ["ETH"], BarInterval.Daily, [[2714.9453125]]);
        var market = await GasMarket.FromFileAsync(gasFile, SwapCostOptions.Default, eth);

        // At midnight of 1 June the day of 31 May has just completed; 1 June's own average is not yet known.
        var quote = market.At(new DateTimeOffset(2021, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.AreEqual(32.2790874, quote.GasPriceGwei);
        Assert.AreEqual(2714.9453125, quote.NativeTokenPriceQuote);
        Assert.Contains("2021-05-31", quote.GasPriceSource);
    }

    [TestMethod]
    public void At_BeforeTheSeries_FallsBackToConfiguredValues()
    {
        var gas = Some.Panel([GasMarket.DefaultGasSymbol], [[50, 60]]);
        var market = new GasMarket(new SwapCostOptions { GasPriceGwei = 12, NativeTokenPriceQuote = 1_500 }, gas);

        var before = market.At(Some.Start);
        var after = market.At(Some.Start.AddDays(10));

        Assert.AreEqual(12, before.GasPriceGwei);
        Assert.AreEqual("configured", before.GasPriceSource);
        Assert.AreEqual(60, after.GasPriceGwei, "the last value carries forward");
        Assert.AreEqual(1_500, after.NativeTokenPriceQuote, "no ETH column: configured price");
    }
}
