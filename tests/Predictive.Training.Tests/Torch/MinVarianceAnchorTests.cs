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
        // Row 0: σ = 0.01, 0.02, (unavailable), 0.04: 1/σ² = 10,000, 2,500, –, 625.
        // Row 1: (unavailable, σ 0), 0.02, 0.04, (unavailable): 1/σ² = –, 2,500, 625, –.
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
    public void AnchorAndTiltedOutput_PricesAfterDecisionBarChanged_UnchangedUpToThatBarAndChangedAfter()
    {
        // Every close after the decision bar of sample `cut` is multiplied by 1.7: the anchor (1/σ² of the trailing
        // realized volatility) and the tilted network's weights at samples up to `cut` must not move; after it they do.
        var data = TestMarkets.Small;
        const int cut = 230;
        var changed = TrainingDataset.Create(TestMarkets.WithFutureChanged(data.Panel, data.Bar(cut), 1.7));
        Assert.IsTrue(data.Bars.SequenceEqual(changed.Bars), "both datasets decide on the same bars");
        var options = new TorchTrainerOptions { Epochs = 1, Hidden = 8, BatchPeriods = 32, Tilt = 0.5f, Anchor = TiltAnchor.MinVariance };
        using var net = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, options).Network;
        var column = net.AnchorFeature!.Value;

        for (var s = cut - 20; s <= cut; s++)
        {
            CollectionAssert.AreEqual(AnchorAt(data, s, column), AnchorAt(changed, s, column), $"anchor at sample {s}");
            CollectionAssert.AreEqual(Output(net, data, s), Output(net, changed, s), $"tilted output at sample {s}");
        }

        var after = Enumerable.Range(cut + 1, 5).ToList();
        Assert.IsTrue(after.Any(s => !AnchorAt(data, s, column).SequenceEqual(AnchorAt(changed, s, column))), "the anchor after the bar sees the change");
        Assert.IsTrue(after.Any(s => !Output(net, data, s).SequenceEqual(Output(net, changed, s))), "the output after the bar sees the change");
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

    // The anchor's weights at one sample, from the raw volatility column the network reads.
    private static float[] AnchorAt(TrainingDataset d, int sample, int column)
    {
        using var scope = NewDisposeScope();
        var n = d.AssetCount;
        var row = d.FeatureRow(sample);
        var mask = d.MaskRow(sample);
        var volatility = new float[n];
        var available = new float[n];
        for (var a = 0; a < n; a++)
        {
            volatility[a] = row[(a * d.FeatureCount) + column];
            available[a] = mask[a] ? 1f : 0f;
        }

        return AnchorTilt.Anchor(zeros(1, n), tensor(available, [1, n]), tensor(volatility, [1, n])).data<float>().ToArray();
    }

    // The network's weights at one sample, from 1/N held.
    private static float[] Output(AllocatorNetwork net, TrainingDataset d, int sample)
    {
        var n = d.AssetCount;
        var held = new float[n];
        d.EqualWeightsInto(sample, held);
        var weights = new float[n];
        net.Predict(d.FeatureRow(sample), d.MaskRow(sample), held, 1, weights);
        return weights;
    }
}
