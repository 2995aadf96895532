using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

[TestClass]
public sealed class GbmWeightRuleTests
{
    [TestMethod]
    public void Apply_HandExample_SoftmaxOfReturnOverFlooredVolatilityOverTemperature()
    {
        // z = (μ / max(σ, 0.001)) / 0.5 = [1, 1, -20]: the third asset's σ is floored from 1e-5 to 1e-3.
        float[] mu = [0.01f, 0.02f, -0.01f];
        float[] sigma = [0.02f, 0.04f, 0.00001f];
        var weights = new float[3];

        GbmWeightRule.Apply(mu, sigma, [true, true, true], temperature: 0.5, volatilityFloor: 1e-3, weights);

        var total = (2 * Math.Exp(1)) + Math.Exp(-20);
        Assert.AreEqual(Math.Exp(1) / total, weights[0], 1e-7);
        Assert.AreEqual(Math.Exp(1) / total, weights[1], 1e-7);
        Assert.AreEqual(Math.Exp(-20) / total, weights[2], 1e-9);
    }

    [TestMethod]
    public void Apply_UnavailableAsset_GetsZeroAndOthersShareEverything()
    {
        var weights = new float[3];

        GbmWeightRule.Apply([0.5f, 0.0f, 0.0f], [0.1f, 0.1f, 0.1f], [false, true, true], 1, 1e-3, weights);

        CollectionAssert.AreEqual(new[] { 0f, 0.5f, 0.5f }, weights);
    }

    [TestMethod]
    public void Apply_NoAssetAvailable_SplitsEqually()
    {
        var weights = new float[4];

        GbmWeightRule.Apply([1f, 2f, 3f, 4f], [1f, 1f, 1f, 1f], [false, false, false, false], 1, 1e-3, weights);

        CollectionAssert.AreEqual(new[] { 0.25f, 0.25f, 0.25f, 0.25f }, weights);
    }

    [TestMethod]
    public void Apply_LowerTemperature_ConcentratesOnBestAsset()
    {
        var warm = new float[2];
        var cold = new float[2];

        GbmWeightRule.Apply([0.02f, 0.01f], [0.05f, 0.05f], [true, true], 1, 1e-3, warm);
        GbmWeightRule.Apply([0.02f, 0.01f], [0.05f, 0.05f], [true, true], 0.05, 1e-3, cold);

        Assert.IsGreaterThan(warm[0], cold[0]);
        Assert.IsGreaterThan(0.5f, warm[0]);
    }

    [TestMethod]
    public void Apply_RandomPredictions_WeightsAreLongOnlyAndSumToOne()
    {
        var random = new Random(17);
        for (var trial = 0; trial < 2000; trial++)
        {
            var n = random.Next(1, 30);
            var mu = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.5) * 0.4)).ToArray();
            var sigma = Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() - 0.2) * 0.2)).ToArray();
            var available = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.7).ToArray();
            var weights = new float[n];

            GbmWeightRule.Apply(mu, sigma, available, 0.01 + random.NextDouble(), 1e-3, weights);

            Assert.AreEqual(1.0, weights.Sum(w => (double)w), 1e-5, $"trial {trial}");
            for (var a = 0; a < n; a++)
            {
                Assert.IsTrue(float.IsFinite(weights[a]) && weights[a] >= 0, $"trial {trial} asset {a}: {weights[a]}");
                Assert.IsTrue(available[a] || !available.Contains(true) || weights[a] == 0, $"trial {trial}: unavailable asset {a} got {weights[a]}");
            }
        }
    }

    [TestMethod]
    public void Availability_NonFiniteFeature_MarksOnlyThatAssetUnavailable()
    {
        float[] row = [1, 2, float.NaN, 4, 5, float.PositiveInfinity, 7, 8];
        var available = new bool[4];

        GbmWeightRule.Availability(row, 2, available);

        CollectionAssert.AreEqual(new[] { true, false, false, true }, available);
    }

    [TestMethod]
    public void Clean_NonFiniteValues_BecomeZero()
    {
        var cleaned = new float[4];

        GbmWeightRule.Clean([1.5f, float.NaN, float.NegativeInfinity, -2f], cleaned);

        CollectionAssert.AreEqual(new[] { 1.5f, 0f, 0f, -2f }, cleaned);
    }
}
