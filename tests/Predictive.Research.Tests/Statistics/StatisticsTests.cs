using Predictive.Research.Statistics;

namespace Predictive.Research.Tests.Statistics;

[TestClass]
public sealed class StatisticsTests
{
    private static readonly double[] Returns = [0.1, -0.05, 0.02, 0.03];

    [TestMethod]
    public void Cdf_KnownQuantiles_MatchTables()
    {
        Assert.AreEqual(0.975, Normal.Cdf(1.959963984540054), 1e-14);
        Assert.AreEqual(0.5, Normal.Cdf(0), 1e-16);
        Assert.AreEqual(2.866515718791939e-7, Normal.Cdf(-5), 1e-20);
        Assert.AreEqual(0.841344746068543, Normal.Cdf(1), 1e-14);
    }

    [TestMethod]
    [DataRow(0.975, 1.959963984540054)]
    [DataRow(0.99, 2.326347874040841)]
    [DataRow(0.001, -3.090232306167814)]
    public void InverseCdf_KnownProbabilities_MatchTables(double p, double x) => Assert.AreEqual(x, Normal.InverseCdf(p), 1e-12);

    [TestMethod]
    public void Moments_FourReturns_MatchHandComputedValues()
    {
        // mean 0.025; squared deviations .005625 + .005625 + .000025 + .000025 = .0113; sd = √(.0113/3).
        Assert.AreEqual(0.025, ReturnStatistics.Mean(Returns), 1e-15);
        Assert.AreEqual(Math.Sqrt(0.0113 / 3), ReturnStatistics.StdDev(Returns), 1e-15);
        Assert.AreEqual(0.025 / Math.Sqrt(0.0113 / 3), ReturnStatistics.Sharpe(Returns), 1e-12);
        // Downside: only −0.05 → √(.0025 / 4) = 0.025 → Sortino 1.
        Assert.AreEqual(1.0, ReturnStatistics.Sortino(Returns), 1e-12);
        // Deviations are symmetric (±.075, ±.005): skewness 0; kurtosis m4/m2² = 1.5820625e-5 / 2.825e-3².
        Assert.AreEqual(0.0, ReturnStatistics.Skewness(Returns), 1e-12);
        Assert.AreEqual(1.5820625e-5 / (0.002825 * 0.002825), ReturnStatistics.Kurtosis(Returns), 1e-9);
    }

    [TestMethod]
    public void MaxDrawdown_CurveWithTwoDips_IsTheDeeperDip()
    {
        // Peaks 100, 120, 120, 120, 130, 130 → drawdowns 0, 0, .25, .2083, 0, .2.
        double[] equity = [100, 120, 90, 95, 130, 104];
        Assert.AreEqual(0.25, ReturnStatistics.MaxDrawdown(equity), 1e-15);
        Assert.AreEqual(0.2, ReturnStatistics.Drawdowns(equity)[5], 1e-15);
    }

    [TestMethod]
    public void Deflated_BaileyLopezDePradoExample_Is0Point9004()
    {
        // The paper's example: annualized SR 2.5 over 1,250 daily returns, 100 trials with annualized SR variance 0.5,
        // skewness −3, kurtosis 10 → SR₀ ≈ 0.1132 per day and DSR ≈ 0.9004.
        var sr = 2.5 / Math.Sqrt(250);
        var variance = 0.5 / 250;
        Assert.AreEqual(0.1132, DeflatedSharpe.ExpectedMaximum(100, variance), 1e-4);
        Assert.AreEqual(0.9004, DeflatedSharpe.Deflated(sr, 1250, -3, 10, 100, variance), 1e-4);
    }

    [TestMethod]
    public void Probabilistic_NormalReturnsAgainstZero_MatchesClosedForm()
    {
        // Normal moments: PSR(0) = Φ(SR·√(T−1)/√(1 + SR²/2)).
        var expected = Normal.Cdf(0.1 * Math.Sqrt(99) / Math.Sqrt(1 + 0.005));
        Assert.AreEqual(expected, DeflatedSharpe.Probabilistic(0.1, 0, 100, 0, 3), 1e-15);
    }

    [TestMethod]
    public void ForTrials_SingleStrategy_IsItsProbabilisticSharpe()
    {
        var r = Some.RandomWalk(1, 500, 7).Close(0).ToArray();
        var returns = Enumerable.Range(1, r.Length - 1).Select(t => (r[t] / r[t - 1]) - 1).ToArray();
        var psr = DeflatedSharpe.Probabilistic(ReturnStatistics.Sharpe(returns), 0, returns.Length, ReturnStatistics.Skewness(returns), ReturnStatistics.Kurtosis(returns));
        Assert.AreEqual(psr, DeflatedSharpe.ForTrials([returns])[0], 1e-15);
    }

    [TestMethod]
    public void ForTrials_MoreSpreadAmongTrials_DeflatesMore()
    {
        var best = Enumerable.Range(0, 1000).Select(i => 0.001 + (0.01 * Math.Sin(i))).ToArray();
        var close = Enumerable.Range(0, 1000).Select(i => 0.0009 + (0.01 * Math.Sin(i + 0.1))).ToArray();
        var far = Enumerable.Range(0, 1000).Select(i => -0.002 + (0.01 * Math.Sin(i + 0.2))).ToArray();
        var tight = DeflatedSharpe.ForTrials([best, close])[0];
        var spread = DeflatedSharpe.ForTrials([best, far])[0];
        Assert.IsLessThan(tight, spread);
    }

    [TestMethod]
    public void Bootstrap_SameSeed_SameInterval_OtherSeed_Differs()
    {
        var r = Enumerable.Range(0, 400).Select(i => 0.001 + (0.02 * Math.Sin(i * 1.3))).ToArray();
        var a = new StationaryBootstrap(5, 500, 1).SharpeInterval(r, 365);
        var b = new StationaryBootstrap(5, 500, 1).SharpeInterval(r, 365);
        var c = new StationaryBootstrap(5, 500, 2).SharpeInterval(r, 365);
        Assert.AreEqual(a, b);
        Assert.AreNotEqual(a, c);
        var point = ReturnStatistics.Sharpe(r) * Math.Sqrt(365);
        Assert.IsTrue(a.Low < point && point < a.High, $"{point} outside [{a.Low}, {a.High}]");
    }

    [TestMethod]
    public void ResampleIndices_MeanBlockLength10_ContinuesBlocksNineTimesInTen()
    {
        // A step continues the block (i → i + 1) with probability 1 − 1/L, plus a 1/length chance of a fresh start landing there.
        var idx = new int[200_000];
        StationaryBootstrap.ResampleIndices(new Random(3), 1_000_000, 10, idx);
        var continued = Enumerable.Range(1, idx.Length - 1).Count(k => idx[k] == idx[k - 1] + 1) / (double)(idx.Length - 1);
        Assert.AreEqual(0.9, continued, 0.005);
    }
}
