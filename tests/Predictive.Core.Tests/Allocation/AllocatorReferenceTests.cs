using Predictive.Core.Allocation;
using Predictive.Core.Numerics;

namespace Predictive.Core.Tests.Allocation;

/// <summary>Classical allocators checked against independent solutions: closed forms and brute-force searches.</summary>
[TestClass]
public sealed class AllocatorReferenceTests
{
    private static readonly double[,] Corr3 = { { 1, 0.3, 0.1 }, { 0.3, 1, 0.5 }, { 0.1, 0.5, 1 } };
    private static readonly double[] Vols3 = [0.02, 0.03, 0.05];

    public static IEnumerable<object[]> FixedCovariances =>
    [
        [Some.Covariance(Vols3, Corr3)],
        [Some.Covariance([0.04, 0.04, 0.01], new double[,] { { 1, 0.9, -0.2 }, { 0.9, 1, -0.1 }, { -0.2, -0.1, 1 } })],
        [Some.Covariance([0.01, 0.05, 0.03], new double[,] { { 1, -0.4, 0.2 }, { -0.4, 1, 0.6 }, { 0.2, 0.6, 1 } })],
    ];

    [TestMethod]
    [DynamicData(nameof(FixedCovariances))]
    public void MinimumVariance_FixedCovariance_MatchesBruteForceSimplexSearch(double[] cov)
    {
        var w = new MinimumVarianceAllocator().Allocate(Some.Input(cov));
        var (best, bestW) = BruteForce3(w3 => -DenseMatrix.QuadraticForm(cov, w3));

        // The optimizer must be at least as good as the finest grid point and close to it.
        Assert.IsLessThanOrEqualTo(-best + 1e-15, DenseMatrix.QuadraticForm(cov, w));
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(bestW[i], w[i], 2e-3);
        }
    }

    [TestMethod]
    public void MinimumVariance_InteriorSolution_MatchesClosedForm()
    {
        // With all weights positive the long-only optimum is the unconstrained one: Σ⁻¹1 / 1ᵀΣ⁻¹1.
        var cov = Some.Covariance(Vols3, Corr3);
        var inv1 = new double[3];
        Assert.IsTrue(DenseMatrix.TrySolveSpd(cov, [1, 1, 1], inv1));
        var expected = inv1.Select(x => x / inv1.Sum()).ToArray();
        Assert.IsTrue(expected.All(x => x > 0), "the test case must have an interior solution");

        var w = new MinimumVarianceAllocator().Allocate(Some.Input(cov));

        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(expected[i], w[i], 1e-9);
        }
    }

    [TestMethod]
    public void MinimumVariance_WithCap_MatchesBruteForceOnCappedGrid()
    {
        var cov = Some.Covariance([0.01, 0.05, 0.03], new double[,] { { 1, -0.4, 0.2 }, { -0.4, 1, 0.6 }, { 0.2, 0.6, 1 } });
        var w = new MinimumVarianceAllocator(new AllocatorOptions { MaxWeight = 0.5 }).Allocate(Some.Input(cov));
        var (best, _) = BruteForce3(w3 => w3.Max() > 0.5 + 1e-12 ? double.NegativeInfinity : -DenseMatrix.QuadraticForm(cov, w3));

        Assert.IsLessThanOrEqualTo(0.5 + 1e-12, w.Max());
        Assert.IsLessThanOrEqualTo(-best + 1e-15, DenseMatrix.QuadraticForm(cov, w));
        Assert.AreEqual(-best, DenseMatrix.QuadraticForm(cov, w), 1e-3 * -best);
    }

    [TestMethod]
    [DynamicData(nameof(FixedCovariances))]
    public void RiskParity_FixedCovariance_RiskContributionsAreEqual(double[] cov)
    {
        var w = new RiskParityAllocator().Allocate(Some.Input(cov));
        var sw = new double[3];
        DenseMatrix.Multiply(cov, w, sw);
        var total = DenseMatrix.QuadraticForm(cov, w);
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(total / 3, w[i] * sw[i], 1e-9 * total);
        }
    }

    [TestMethod]
    public void RiskParity_TwoAssets_MatchesClosedForm()
    {
        // For two assets ERC is w₁ = σ₂ / (σ₁ + σ₂) whatever the correlation.
        var cov = Some.Covariance([0.02, 0.06], new double[,] { { 1, 0.7 }, { 0.7, 1 } });
        var w = new RiskParityAllocator().Allocate(Some.Input(cov));
        Assert.AreEqual(0.06 / 0.08, w[0], 1e-12);
    }

    [TestMethod]
    public void RiskParity_EqualCorrelations_EqualsInverseVolatility()
    {
        var cov = Some.Covariance([0.01, 0.02, 0.04], new double[,] { { 1, 0.4, 0.4 }, { 0.4, 1, 0.4 }, { 0.4, 0.4, 1 } });
        var erc = new RiskParityAllocator().Allocate(Some.Input(cov));
        var ivol = new InverseVolatilityAllocator().Allocate(Some.Input(cov));
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(ivol[i], erc[i], 1e-12);
        }
    }

    [TestMethod]
    public void MaximumSharpe_FixedCovariance_MatchesBruteForceSimplexSearch()
    {
        var cov = Some.Covariance(Vols3, Corr3);
        double[] mu = [0.001, 0.0012, 0.003];
        double Sharpe(double[] w3) => DenseMatrix.Dot(mu, w3) / Math.Sqrt(DenseMatrix.QuadraticForm(cov, w3));

        var w = new MaximumSharpeAllocator().Allocate(Some.Input(cov, mu));
        var (best, bestW) = BruteForce3(Sharpe);

        Assert.IsGreaterThanOrEqualTo(best - 1e-12, Sharpe(w));
        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(bestW[i], w[i], 2e-3);
        }
    }

    [TestMethod]
    public void MaximumSharpe_InteriorSolution_MatchesClosedForm()
    {
        // The unconstrained tangency portfolio is Σ⁻¹μ normalized; when it is long-only it is the answer.
        var cov = Some.Covariance(Vols3, Corr3);
        double[] mu = [0.001, 0.0015, 0.0025];
        var raw = new double[3];
        Assert.IsTrue(DenseMatrix.TrySolveSpd(cov, mu, raw));
        Assert.IsTrue(raw.All(x => x > 0), "the test case must have an interior solution");

        var w = new MaximumSharpeAllocator().Allocate(Some.Input(cov, mu));

        for (var i = 0; i < 3; i++)
        {
            Assert.AreEqual(raw[i] / raw.Sum(), w[i], 1e-6);
        }
    }

    [TestMethod]
    public void MaximumSharpe_NoPositiveExcessReturn_FallsBackToMinimumVariance()
    {
        var cov = Some.Covariance(Vols3, Corr3);
        var w = new MaximumSharpeAllocator().Allocate(Some.Input(cov, [-0.001, -0.002, 0]));
        var minVar = new MinimumVarianceAllocator().Allocate(Some.Input(cov));
        CollectionAssert.AreEqual(minVar, w);
    }

    [TestMethod]
    public void Hrp_UncorrelatedAssets_EqualsInverseVariance()
    {
        // With zero correlations every bisection splits by inverse variance, so HRP is the inverse-variance portfolio.
        double[] vols = [0.01, 0.02, 0.03, 0.05];
        var corr = new double[4, 4];
        for (var i = 0; i < 4; i++)
        {
            corr[i, i] = 1;
        }

        var w = new HierarchicalRiskParityAllocator().Allocate(Some.Input(Some.Covariance(vols, corr)));
        var ivp = vols.Select(v => 1 / (v * v)).ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.AreEqual(ivp[i] / ivp.Sum(), w[i], 1e-12);
        }
    }

    [TestMethod]
    public void Hrp_TwoCorrelatedBlocks_OrdersBlocksTogether()
    {
        double[] vols = [0.02, 0.02, 0.02, 0.02];
        var corr = new double[,] { { 1, 0.1, 0.9, 0.1 }, { 0.1, 1, 0.1, 0.9 }, { 0.9, 0.1, 1, 0.1 }, { 0.1, 0.9, 0.1, 1 } };
        var order = HierarchicalRiskParityAllocator.QuasiDiagonalOrder(Some.Covariance(vols, corr), 4);
        var pos = new int[4];
        for (var i = 0; i < 4; i++)
        {
            pos[order[i]] = i;
        }

        Assert.AreEqual(1, Math.Abs(pos[0] - pos[2]), "assets 0 and 2 are neighbours");
        Assert.AreEqual(1, Math.Abs(pos[1] - pos[3]), "assets 1 and 3 are neighbours");
    }

    [TestMethod]
    public void Allocate_WithoutRiskEstimate_ThrowsNamingTheAllocator()
    {
        var input = new AllocationInput(["A", "B"], [], [], [0.5, 0.5], [true, true]);
        var ex = Assert.ThrowsExactly<AllocationException>(() => new MinimumVarianceAllocator().Allocate(input));
        Assert.Contains("min-variance", ex.Message);
        CollectionAssert.AreEqual(new[] { 0.5, 0.5 }, new EqualWeightAllocator().Allocate(input));
    }

    [TestMethod]
    public void Allocate_NaNVarianceForAvailableAsset_ThrowsNamingTheAsset()
    {
        var cov = Some.Covariance([0.01, 0.02], new double[,] { { 1, 0 }, { 0, 1 } });
        cov[3] = double.NaN;
        var ex = Assert.ThrowsExactly<AllocationException>(() => new RiskParityAllocator().Allocate(Some.Input(cov)));
        Assert.Contains("A01", ex.Message);
    }

    [TestMethod]
    public void Create_UnknownName_ListsKnownNames()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => Allocators.Create("kelly"));
        Assert.Contains("risk-parity", ex.Message);
    }

    /// <summary>Maximizes a score over the 3-asset simplex on a 0.001 grid.</summary>
    private static (double Best, double[] Weights) BruteForce3(Func<double[], double> score)
    {
        var best = double.NegativeInfinity;
        double[] bestW = [];
        const int steps = 1000;
        for (var i = 0; i <= steps; i++)
        {
            for (var j = 0; i + j <= steps; j++)
            {
                double[] w = [i / (double)steps, j / (double)steps, (steps - i - j) / (double)steps];
                var s = score(w);
                if (s > best)
                {
                    (best, bestW) = (s, w);
                }
            }
        }

        return (best, bestW);
    }
}
