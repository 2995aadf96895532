using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Tests.Support;

namespace Predictive.Training.Tests.Data;

[TestClass]
public sealed class PortfolioBacktestTests
{
    [TestMethod]
    public void Run_AllInFirstAsset_PaysTheSwitchOnceThenHolds()
    {
        var data = TestMarkets.Small;
        var range = new SampleRange(50, 20);

        var result = PortfolioBacktest.Run(data, range, (_, _, w) => { w.Clear(); w[0] = 1; }, costRate: 0.01);

        // From equal weights (1/5 each) to all-in: Σ|Δw| = 0.8 + 4 × 0.2 = 1.6, once; holding one asset never drifts.
        Assert.AreEqual(1.6, result.Turnover[0], 1e-6);
        Assert.AreEqual(data.ReturnRow(50)[0] - 0.016, result.NetReturns[0], 1e-6);
        Assert.IsTrue(result.Turnover.Skip(1).All(t => t < 1e-6));
        Assert.AreEqual(1.6 / 20, result.Metrics.Turnover, 1e-6);
        Assert.AreEqual(data.ReturnRow(60)[0], result.NetReturns[10], 1e-6);
    }

    [TestMethod]
    public void From_KnownReturns_SharpeAndDrawdownByHand()
    {
        double[] r = [0.1, -0.2, 0.05];

        var m = PerformanceMetrics.From(r, [0, 0, 0], [0, 0, 0], barsPerYear: 4);

        var mean = -0.05 / 3;
        var sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 2);
        Assert.AreEqual(mean / sd * 2, m.Sharpe, 1e-12);
        Assert.AreEqual(0.2, m.MaxDrawdown, 1e-12, "from the peak 1.1 down to 0.88");
    }
}
