using Predictive.Core.Features;

namespace Predictive.Core.Tests.Features;

[TestClass]
public sealed class SpecAndRiskTests
{
    [TestMethod]
    public void FromJson_DefaultRoundTrip_SameNamesAndJson()
    {
        var json = FeatureSpec.Default.ToJson();
        Assert.Contains("\"version\": 1", json);
        var back = FeatureSpec.FromJson(json);
        CollectionAssert.AreEqual(FeatureSpec.Default.FeatureNames.ToArray(), back.FeatureNames.ToArray());
        Assert.AreEqual(json, back.ToJson());
    }

    [TestMethod]
    [DataRow("{\"version\":2,\"features\":[{\"kind\":\"logReturn\",\"window\":1}]}", "version: 2 is not supported")]
    [DataRow("{\"version\":1,\"features\":[{\"kind\":\"logReturn\",\"window\":1},{\"kind\":\"realizedVolatility\",\"window\":1}]}", "features[1].window: 1 is out of range")]
    [DataRow("{\"version\":1,\"features\":[{\"kind\":\"vol\",\"window\":5}]}", "features[0].kind: 'vol' is not known")]
    [DataRow("{\"version\":1,\"features\":[{\"kind\":\"momentum\"}]}", "features[0].window: missing")]
    [DataRow("{\"version\":1,\"features\":[{\"kind\":\"drawdown\",\"window\":3}]}", "features[0].window: drawdown")]
    [DataRow("{\"version\":1,\"features\":[]}", "features: the list is empty")]
    [DataRow("{\"features\":[{\"kind\":\"drawdown\"}]}", "version: missing")]
    [DataRow("{\"version\":1,\"features\":[{\"kind\":\"drawdown\"},{\"kind\":\"drawdown\"}]}", "'drawdown' repeats features[0]")]
    [DataRow("{\"version\":1,\"feature\":[]}", "malformed")]
    public void FromJson_InvalidSpec_ThrowsNamingField(string json, string expected)
    {
        var ex = Assert.ThrowsExactly<FeatureSpecException>(() => FeatureSpec.FromJson(json));
        Assert.Contains(expected, ex.Message);
    }

    [TestMethod]
    public void ShrinkToConstantCorrelation_RandomReturns_MatchesPaperFormulaTo1e12()
    {
        foreach (var (t, n) in new[] { (60, 5), (10, 8), (200, 3) })
        {
            var rng = new Random(t * n);
            var x = new double[t * n];
            for (var k = 0; k < x.Length; k++)
            {
                x[k] = (rng.NextDouble() - 0.5) * 0.1 + ((k % n) * 0.001);
            }

            var cov = new double[n * n];
            var delta = LedoitWolf.ShrinkToConstantCorrelation(x, t, n, cov);
            var (refCov, refDelta) = Reference(x, t, n);
            Assert.AreEqual(refDelta, delta, 1e-12);
            Assert.IsTrue(delta is > 0 and <= 1, $"δ = {delta}");
            for (var k = 0; k < cov.Length; k++)
            {
                Assert.AreEqual(refCov[k], cov[k], 1e-12);
            }
        }
    }

    [TestMethod]
    public void Estimate_LaterDataGarbage_UnchangedAndLateAssetNaN()
    {
        var panel = TestPanels.RandomWalk(seed: 9, assets: 4, bars: 300);
        var est = new RiskEstimator(window: 60, meanShrinkage: 0.5);
        var before = est.Estimate(panel, 120); // asset 1 lists at bar 100: not a full window yet
        var after = est.Estimate(TestPanels.WithGarbageAfter(panel, 120, seed: 1), 120);
        CollectionAssert.AreEqual(FeatureBuilderTests.Bits(before.Covariance), FeatureBuilderTests.Bits(after.Covariance));
        Assert.IsTrue(double.IsNaN(before[1, 1]) && double.IsNaN(before[0, 1]) && double.IsNaN(before.ExpectedReturns[1]));
        Assert.IsTrue(double.IsFinite(before[0, 2]));

        var frame = FeatureBuilder.Build(panel);
        var input = frame.ToAllocationInput(299, [0.25, 0.25, 0.25, 0.25], est.Estimate(panel, 299));
        CollectionAssert.AreEqual(frame.Row(299).ToArray(), input.Features.ToArray());
        Assert.ThrowsExactly<ArgumentException>(() => frame.ToAllocationInput(299, [1.0], null));
    }

    /// <summary>The paper's estimator written straight from its formulas with 2-D arrays.</summary>
    private static (double[] Cov, double Delta) Reference(double[] flat, int t, int n)
    {
        var x = new double[t, n];
        for (var j = 0; j < n; j++)
        {
            var m = Enumerable.Range(0, t).Average(k => flat[(k * n) + j]);
            for (var k = 0; k < t; k++)
            {
                x[k, j] = flat[(k * n) + j] - m;
            }
        }

        var s = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                s[i, j] = Enumerable.Range(0, t).Sum(k => x[k, i] * x[k, j]) / t;
            }
        }

        var rbar = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                rbar += i == j ? 0 : s[i, j] / Math.Sqrt(s[i, i] * s[j, j]);
            }
        }

        rbar /= n * (n - 1);
        double pi = 0, rho = 0, gamma = 0;
        var f = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                f[i, j] = i == j ? s[i, i] : rbar * Math.Sqrt(s[i, i] * s[j, j]);
                gamma += Math.Pow(f[i, j] - s[i, j], 2);
                var pij = Enumerable.Range(0, t).Sum(k => Math.Pow((x[k, i] * x[k, j]) - s[i, j], 2)) / t;
                pi += pij;
                if (i == j)
                {
                    rho += pij;
                    continue;
                }

                var thII = Enumerable.Range(0, t).Sum(k => ((x[k, i] * x[k, i]) - s[i, i]) * ((x[k, i] * x[k, j]) - s[i, j])) / t;
                var thJJ = Enumerable.Range(0, t).Sum(k => ((x[k, j] * x[k, j]) - s[j, j]) * ((x[k, i] * x[k, j]) - s[i, j])) / t;
                rho += rbar / 2 * ((Math.Sqrt(s[j, j] / s[i, i]) * thII) + (Math.Sqrt(s[i, i] / s[j, j]) * thJJ));
            }
        }

        var delta = Math.Max(0, Math.Min(1, (pi - rho) / gamma / t));
        var cov = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                cov[(i * n) + j] = (delta * f[i, j]) + ((1 - delta) * s[i, j]);
            }
        }

        return (cov, delta);
    }
}
