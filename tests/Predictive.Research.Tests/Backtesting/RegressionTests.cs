using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Research.Comparison;

namespace Predictive.Research.Tests.Backtesting;

/// <summary>
/// Pinned statistics of fixed backtests (Lean-style regression tests): synthetic market seed 42 (8 assets, 1,000 daily
/// bars), start bar 90, 100,000 start value, default costs. A change in any stage (features, allocator, policy, planner,
/// venue, costs, metrics) moves these numbers; if the change is intended, re-pin them and say why.
/// </summary>
[TestClass]
public sealed class RegressionTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("equal", "band:0.05", PinnedEqualBand)]
    [DataRow("risk-parity", "calendar:21", PinnedRiskParityCalendar)]
    public async Task Synthetic42_FixedStrategy_MatchesPinnedStatistics(string allocator, string policy, string pinned)
    {
        var panel = Some.Synthetic42();
        var market = new BacktestMarket(panel);
        var assetPanel = market.AssetPanel();
        var frame = FeatureBuilder.Build(assetPanel);
        var targets = new AllocatorTargets(Allocators.Create(allocator), frame, assetPanel, allocator == "equal" ? null : new RiskEstimator());
        var result = await new Backtester(market).RunAsync(targets, PolicySpec.Parse(policy));
        var s = ModelComparison.Score([result], seed: 42)[0].Score;
        var actual = FormattableString.Invariant($"{s.FinalEquity:F4}|{s.Sharpe:F6}|{s.Sortino:F6}|{s.Cagr:F6}|{s.MaxDrawdown:F6}|{s.Turnover:F6}|{s.CostsGas:F4}|{s.CostsFee:F4}|{s.CostsImpact:F4}|{s.TrackingError:F6}|{s.Trades}|{s.Rebalances}|{s.SharpeCiLow:F6}|{s.SharpeCiHigh:F6}");
        TestContext.WriteLine(actual);
        Assert.AreEqual(pinned, actual);
    }

    private const string PinnedEqualBand = "223782.1174|1.017856|1.532138|0.383682|0.316127|0.497967|0.9617|1553.7647|94.0094|0.024876|88|11|-0.240103|2.293312";
    private const string PinnedRiskParityCalendar = "223859.1103|1.042189|1.559932|0.383878|0.315007|1.026792|3.2275|3286.0297|126.9784|0.016918|348|44|-0.214840|2.368090";
}
