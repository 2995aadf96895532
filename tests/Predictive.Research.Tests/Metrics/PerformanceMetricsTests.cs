using Predictive.Research.Metrics;

namespace Predictive.Research.Tests.Metrics;

[TestClass]
public sealed class PerformanceMetricsTests
{
    [TestMethod]
    public void FromSeries_ThreeReturnsInOneYear_MatchHandComputedValues()
    {
        // Returns +10 %, −10 %, +20 % at 3 bars a year: one year, CAGR 18.8 %, max drawdown 10 %.
        double[] equity = [100, 110, 99, 118.8];
        double[] active = [0.01, -0.01, 0.03];
        var m = PerformanceMetrics.FromSeries(equity, active, 3, notionalQuote: 200, gasQuote: 1, feeQuote: 2, impactQuote: 3, trades: 4, rebalances: 2);

        Assert.AreEqual(0.188, m.Cagr, 1e-12);
        var sd = Math.Sqrt(((0.1 / 3 * 0.1 / 3) + (0.5 / 3 * 0.5 / 3) + (0.4 / 3 * 0.4 / 3)) / 2);
        Assert.AreEqual(sd * Math.Sqrt(3), m.Volatility, 1e-12);
        Assert.AreEqual(0.2 / 3 / sd * Math.Sqrt(3), m.Sharpe, 1e-12);
        // Downside deviation √(0.01 / 3); Sortino = (0.2/3) / √(0.01/3) · √3 = 2.
        Assert.AreEqual(2.0, m.Sortino, 1e-12);
        Assert.AreEqual(0.1, m.MaxDrawdown, 1e-12);
        Assert.AreEqual(1.88, m.Calmar, 1e-12);
        // One-way turnover: 200 / 2 / mean equity 106.95 over one year.
        Assert.AreEqual(100 / 106.95, m.Turnover, 1e-12);
        Assert.AreEqual(Math.Sqrt(((0.0) + (0.02 * 0.02) + (0.02 * 0.02)) / 2) * Math.Sqrt(3), m.TrackingError, 1e-12);
        Assert.AreEqual(6, m.CostsQuote, 1e-12);
        Assert.AreEqual(3, m.Observations);
    }
}
