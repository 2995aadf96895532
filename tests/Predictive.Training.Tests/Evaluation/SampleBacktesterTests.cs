using Predictive.Core.Backtesting;
using Predictive.Core.Venues;
using Predictive.Research.Metrics;
using Predictive.Research.Statistics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Tests.Support;

namespace Predictive.Training.Tests.EvaluationTests;

[TestClass]
public sealed class SampleBacktesterTests
{
    [TestMethod]
    public async Task Run_EqualWeights_SameAsCoresBacktesterOnTheSameBars()
    {
        var panel = TestMarkets.Synthetic(5, 400);
        var data = TrainingDataset.Create(panel);
        var range = new SampleRange(100, 60);
        Assert.IsTrue(Enumerable.Range(range.Start, range.Count).All(s => data.AvailableCount(s) == 5 && data.FollowsPrevious(s)), "a block where 1/N is the fixed 1/5");

        var result = new SampleBacktester(data).Run("1/N", range, (s, _, w) => data.EqualWeightsInto(s, w));

        // The same world by hand: Core's backtester, cash USD outside the panel, the cost-aware band, 1/N fixed.
        var market = new BacktestMarket(panel, data.Assets, new SimulatedVenueOptions { QuoteAsset = "USD" });
        var options = new BacktestOptions { StartBar = data.Bar(range.Start), EndBar = data.Bar(range.End - 1) + 2, InitialValueQuote = 100_000m };
        var expected = await new Backtester(market, options).RunAsync(FixedTargets.Equal(5), PolicySpec.CostAware());
        Assert.AreEqual(range.Count + 1, result.BarCount);
        // The policy's float weights, renormalized, are 1/5 to ~1e-8; the equity agrees to far better than a cent.
        for (var t = 0; t < result.BarCount; t++)
        {
            Assert.AreEqual(expected.Equity[t], result.Equity[t], 1e-6 * expected.Equity[t], $"bar {t}");
        }

        Assert.AreEqual(expected.Trades.Count, result.Trades.Count);
        Assert.IsLessThan(100_000.0, result.Equity[0], "the block starts from cash and pays for its first investment");
    }

    [TestMethod]
    public void Chain_TwoBlocks_SecondContinuesFromTheFirstsEndAndEachPaysItsEntry()
    {
        var data = TrainingDataset.Create(TestMarkets.Synthetic(5, 400));
        var evaluator = new SampleBacktester(data, EvaluationOptions.Default with { Policy = PolicySpec.Calendar(5) });
        var a = evaluator.Run("1/N", new SampleRange(100, 40), evaluator.EqualWeights);
        var b = evaluator.Run("1/N", new SampleRange(140, 30), evaluator.EqualWeights);

        var chained = PerformanceMetrics.Chain([a, b]);

        // By hand: each block's returns measured from its starting cash, then its own bar to bar.
        var returns = new List<double>();
        foreach (var block in new[] { a, b })
        {
            returns.Add((block.Equity[1] / (double)block.InitialValueQuote) - 1);
            for (var t = 2; t < block.BarCount; t++)
            {
                returns.Add((block.Equity[t] / block.Equity[t - 1]) - 1);
            }
        }

        Assert.AreEqual(70, chained.Observations);
        Assert.AreEqual(ReturnStatistics.Sharpe([.. returns]) * Math.Sqrt(a.BarsPerYear), chained.Sharpe, 1e-9);
        var wealth = returns.Aggregate(1.0, (w, r) => w * (1 + r));
        Assert.AreEqual(100_000 * wealth, chained.FinalEquity, 1e-6 * chained.FinalEquity);
        Assert.AreEqual(a.Trades.Count + b.Trades.Count, chained.Trades);
    }

    [TestMethod]
    public void Constructor_QuoteAssetIsADatasetAsset_ThrowsNamingTheOptions()
    {
        var data = TrainingDataset.Create(TestMarkets.Synthetic(5, 400));

        var error = Assert.ThrowsExactly<ArgumentException>(() => new SampleBacktester(data, EvaluationOptions.Default with { QuoteAsset = data.Assets[0] }));

        Assert.AreEqual("options", error.ParamName);
        Assert.Contains(data.Assets[0], error.Message);
    }
}
