using Predictive.Core.Backtesting;
using Predictive.Core.Tests.Features;

namespace Predictive.Core.Tests.Backtesting;

/// <summary>The cost-aware band's bars settled on a bound of the tracking error, and their errors worked out when read.</summary>
[TestClass]
public sealed class PendingTrackingErrorsTests
{
    [TestMethod]
    public async Task RunAsync_CostAwareBandOnCalmWalk_MostBarsSettledOnTheBoundAndEveryErrorFilledWhenRead()
    {
        // 6 assets, 650 bars (the second listed from bar 216), a 40-bar window, from bar 50.
        var market = new BacktestMarket(TestPanels.RandomWalk(3, 6, 650));
        var options = new BacktestOptions { StartBar = 50, InitialValueQuote = 1_000_000m, RiskWindowBars = 40 };
        var result = await new Backtester(market, options).RunAsync(FixedTargets.Equal(6), PolicySpec.Parse("cost-band"));

        Assert.IsGreaterThan(result.BarCount / 2, result.PendingTrackingErrorCount, "the bound settles most bars of a calm walk");
        var decisions = result.Decisions.ToArray();
        Assert.AreEqual(0, result.PendingTrackingErrorCount, "reading the decisions fills every pending error");
        Assert.IsTrue(decisions.Skip(1).All(d => double.IsFinite(d.TrackingError) && d.TrackingError >= 0), "every bar has its tracking error");
    }
}
