using Predictive.Core.Features;
using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;
using static TorchSharp.torch;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class MinVarianceAnchorTests
{
    [TestMethod]
    public void Anchor_MinVariance_InverseVarianceOverAvailableAssets()
    {
        // σ = 0.01, 0.02, (unavailable), 0.04 and one below the floor: 1/σ² = 10,000, 2,500, –, 625, 1/1e-8.
        using var scope = NewDisposeScope();
        var volatility = tensor(new[] { 0.01f, 0.02f, 0.5f, 0.04f, 0f, 0.02f, 0.04f, 0f }, [2, 4]);
        var mask = tensor(new[] { 1f, 1f, 0f, 1f, 0f, 1f, 1f, 0f }, [2, 4]);

        var anchor = AnchorTilt.Anchor(zeros(2, 4), mask, volatility).data<float>().ToArray();

        var first = new[] { 10_000.0, 2_500, 0, 625 }.Select(x => x / 13_125).ToArray();
        var second = new[] { 0, 2_500.0, 625, 0 }.Select(x => x / 3_125).ToArray();
        for (var a = 0; a < 4; a++)
        {
            Assert.AreEqual(first[a], anchor[a], 1e-6, $"row 0 asset {a}");
            Assert.AreEqual(second[a], anchor[4 + a], 1e-6, $"row 1 asset {a}");
        }
    }

    [TestMethod]
    public void Anchor_VolatilityBelowFloor_UsesFloor()
    {
        using var scope = NewDisposeScope();
        var volatility = tensor(new[] { 0f, 2 * AnchorTilt.VolatilityFloor }, [1, 2]);

        var anchor = AnchorTilt.Anchor(zeros(1, 2), ones(1, 2), volatility).data<float>().ToArray();

        // 1/floor² against 1/(2·floor)²: 4 to 1.
        Assert.AreEqual(0.8, anchor[0], 1e-6);
        Assert.AreEqual(0.2, anchor[1], 1e-6);
    }

    [TestMethod]
    public void MinVarianceFeature_DefaultSpec_RealizedVolatilityThirty()
    {
        Assert.AreEqual(FeatureSpec.Default.IndexOf("realizedVolatility_30"), AnchorTilt.MinVarianceFeature(FeatureSpec.Default));
    }

    [TestMethod]
    public void MinVarianceFeature_OnlyEwmaVolatility_UsesIt()
    {
        var spec = new FeatureSpec([new(FeatureKind.LogReturn, 1), new(FeatureKind.EwmaVolatility, 10)]);

        Assert.AreEqual(1, AnchorTilt.MinVarianceFeature(spec));
    }

    [TestMethod]
    public void MinVarianceFeature_NoVolatilityFeature_ThrowsNamingTheFeatures()
    {
        var spec = new FeatureSpec([new(FeatureKind.LogReturn, 1), new(FeatureKind.Momentum, 30)]);

        var e = Assert.ThrowsExactly<ArgumentException>(() => AnchorTilt.MinVarianceFeature(spec));

        StringAssert.Contains(e.Message, "realizedVolatility");
        StringAssert.Contains(e.Message, "momentum_30");
    }

    [TestMethod]
    public void Validate_MinVarianceWithoutTilt_ThrowsNamingAnchor()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TorchTrainerOptions { Anchor = TiltAnchor.MinVariance }.Validate());

        Assert.AreEqual("Anchor", e.ParamName);
    }

    [TestMethod]
    public void Train_TinyTiltTowardMinVariance_WeightsAreInverseRealizedVariance()
    {
        // With a tilt of 1e-4 the output is the anchor to within 1e-4: 1/σ² of the dataset's own realized volatility column.
        var data = TestMarkets.Small;
        var options = new TorchTrainerOptions { Epochs = 1, Hidden = 8, BatchPeriods = 32, Tilt = 1e-4f, Anchor = TiltAnchor.MinVariance };
        using var net = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, options).Network;
        var column = data.Spec.IndexOf("realizedVolatility_30");
        var n = data.AssetCount;
        var f = data.FeatureCount;
        var range = new SampleRange(200, 50);
        var weights = new float[range.Count * n];
        var held = new float[range.Count * n];
        for (var k = 0; k < range.Count; k++)
        {
            data.EqualWeightsInto(range.Start + k, held.AsSpan(k * n, n));
        }

        net.Predict(data.Features.Slice(range.Start * n * f, range.Count * n * f), data.Mask.Slice(range.Start * n, range.Count * n), held, range.Count, weights);

        Assert.AreEqual(column, net.AnchorFeature);
        for (var k = 0; k < range.Count; k++)
        {
            var row = data.FeatureRow(range.Start + k).ToArray();
            var mask = data.MaskRow(range.Start + k).ToArray();
            var inverse = Enumerable.Range(0, n).Select(a => mask[a] ? 1.0 / Math.Pow(Math.Max(row[(a * f) + column], AnchorTilt.VolatilityFloor), 2) : 0).ToArray();
            var total = inverse.Sum();
            for (var a = 0; a < n; a++)
            {
                Assert.AreEqual(inverse[a] / total, weights[(k * n) + a], 2e-4, $"sample {range.Start + k} asset {a}");
            }
        }
    }
}
