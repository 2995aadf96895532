using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Tests.Support;

// Not "...Tests.Evaluation": that namespace would capture the relative name Evaluation.PerformanceMetrics used in
// Torch/TrainerTests.cs (it resolves through the enclosing namespaces) and break its build.
namespace Predictive.Training.Tests.EvaluationTests;

[TestClass]
public sealed class WalkForwardChainTests
{
    [TestMethod]
    public void Metrics_TwoBlocks_SameAsOneSeriesOfBothBlocks()
    {
        var data = TestMarkets.Small;
        WeightPolicy allInFirst = (_, _, w) => { w.Clear(); w[0] = 1; };
        var a = PortfolioBacktest.Run(data, new SampleRange(50, 20), allInFirst, 0.01);
        var b = PortfolioBacktest.Run(data, new SampleRange(120, 30), allInFirst, 0.01);

        var chained = WalkForwardChain.Metrics([a, b], data.Interval.BarsPerYear);

        var expected = PerformanceMetrics.From([.. a.NetReturns, .. b.NetReturns], [.. a.Turnover, .. b.Turnover], [.. a.Costs, .. b.Costs], data.Interval.BarsPerYear);
        Assert.AreEqual(expected, chained);
        Assert.AreEqual(50, chained!.Periods);
    }

    [TestMethod]
    public void Metrics_LossSpanningTwoBlocks_DrawdownDeeperThanEitherBlock()
    {
        var first = Block(0.1, -0.1);
        var second = Block(-0.1, 0.05);

        var chained = WalkForwardChain.Metrics([first, second], barsPerYear: 365)!;

        // Peak 1.1, then 0.99, then 0.891: 19% below the peak, while each block alone loses 10%.
        Assert.AreEqual(0.19, chained.MaxDrawdown, 1e-12);
        Assert.IsGreaterThan(Math.Max(first.Metrics.MaxDrawdown, second.Metrics.MaxDrawdown), chained.MaxDrawdown);
    }

    [TestMethod]
    public void Metrics_NoBlock_Null()
    {
        Assert.IsNull(WalkForwardChain.Metrics([], barsPerYear: 365));
    }

    private static BacktestResult Block(params double[] returns)
    {
        var zeros = new double[returns.Length];
        return new BacktestResult(PerformanceMetrics.From(returns, zeros, zeros, 365), returns, zeros, zeros, []);
    }
}
