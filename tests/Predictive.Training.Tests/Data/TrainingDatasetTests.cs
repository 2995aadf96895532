using Predictive.Core.Features;
using Predictive.Training.Data;
using Predictive.Training.Tests.Support;

namespace Predictive.Training.Tests.Data;

[TestClass]
public sealed class TrainingDatasetTests
{
    [TestMethod]
    public void Create_PricesAfterNextBarChanged_SampleUnchanged()
    {
        var panel = TestMarkets.Synthetic(4, 300);
        const int T = 200;
        var original = TrainingDataset.Create(panel);
        var changed = TrainingDataset.Create(TestMarkets.WithFutureChanged(panel, T + 1, 3.0));
        var i = original.Bars.IndexOf(T);

        Assert.AreEqual(i, changed.Bars.IndexOf(T));
        CollectionAssert.AreEqual(original.FeatureRow(i).ToArray(), changed.FeatureRow(i).ToArray(), "features at t use bars ≤ t only");
        CollectionAssert.AreEqual(original.ReturnRow(i).ToArray(), changed.ReturnRow(i).ToArray(), "the label uses t + 1 only");
        CollectionAssert.AreNotEqual(original.ReturnRow(i + 1).ToArray(), changed.ReturnRow(i + 1).ToArray(), "the change is visible one bar later");
    }

    [TestMethod]
    public void Create_Label_IsSimpleReturnFromTToNextBar()
    {
        var panel = TestMarkets.Synthetic(3, 200);
        var data = TrainingDataset.Create(panel);
        var i = data.SampleCount / 2;
        var t = data.Bar(i);

        for (var a = 0; a < 3; a++)
        {
            var expected = (panel.Close(a)[t + 1] / panel.Close(a)[t]) - 1;
            Assert.AreEqual(expected, data.ReturnRow(i)[a], 1e-6);
        }

        Assert.AreEqual(panel.Timestamps[t + 1], data.LabelEndTime(i));
        Assert.AreEqual(panel.BarCount - 2, data.Bar(data.SampleCount - 1), "the last sample is the bar before the last");
    }

    [TestMethod]
    public void Create_AssetNotYetListed_MaskedWithZeroFeaturesAndReturns()
    {
        var panel = TestMarkets.WithLateListing(TestMarkets.Synthetic(4, 400), asset: 2, unlistedBars: 250);
        var data = TrainingDataset.Create(panel);
        var frame = FeatureBuilder.Build(panel);

        var early = data.Bars.IndexOf(200);
        Assert.IsFalse(data.MaskRow(early)[2]);
        Assert.IsTrue(data.FeatureRow(early).Slice(2 * data.FeatureCount, data.FeatureCount).ToArray().All(x => x == 0));
        Assert.AreEqual(0f, data.ReturnRow(early)[2]);
        var w = new float[4];
        data.EqualWeightsInto(early, w);
        CollectionAssert.AreEqual(new[] { 1 / 3f, 1 / 3f, 0f, 1 / 3f }, w);

        var late = data.SampleCount - 1;
        Assert.IsTrue(data.MaskRow(late)[2]);
        Assert.AreEqual((float)frame[data.Bar(late), 2, 0], data.FeatureRow(late)[2 * data.FeatureCount]);
    }

    [TestMethod]
    public void DriftInto_Returns_GrowWeightsAndRenormalize()
    {
        var data = TestMarkets.Small;
        var r = data.ReturnRow(10);
        var w = new float[] { 0.5f, 0.5f, 0f, 0f, 0f };
        var drifted = new float[5];

        data.DriftInto(10, w, drifted);

        var total = (0.5 * (1 + r[0])) + (0.5 * (1 + r[1]));
        Assert.AreEqual(0.5 * (1 + r[0]) / total, drifted[0], 1e-6);
        Assert.AreEqual(1.0, drifted.Sum(), 1e-6);
    }

    [TestMethod]
    public void WithFeatures_SubsetInOtherOrder_SameSamplesAndThoseColumns()
    {
        var full = TrainingDataset.Create(TestMarkets.Synthetic(4, 300));
        var subset = new FeatureSpec([new(FeatureKind.Momentum, 30), new(FeatureKind.LogReturn, 1)]);

        var view = full.WithFeatures(subset);

        Assert.AreEqual(full.SampleCount, view.SampleCount);
        CollectionAssert.AreEqual(full.Bars.ToArray(), view.Bars.ToArray());
        CollectionAssert.AreEqual(full.Mask.ToArray(), view.Mask.ToArray());
        CollectionAssert.AreEqual(full.NextReturns.ToArray(), view.NextReturns.ToArray());
        CollectionAssert.AreEqual(new[] { "momentum_30", "logReturn_1" }, view.FeatureNames.ToList());
        var momentum = full.Spec.IndexOf("momentum_30");
        var ret = full.Spec.IndexOf("logReturn_1");
        for (var i = 0; i < full.SampleCount; i += 37)
        {
            for (var a = 0; a < full.AssetCount; a++)
            {
                Assert.AreEqual(full.FeatureRow(i)[(a * full.FeatureCount) + momentum], view.FeatureRow(i)[a * 2]);
                Assert.AreEqual(full.FeatureRow(i)[(a * full.FeatureCount) + ret], view.FeatureRow(i)[(a * 2) + 1]);
            }
        }
    }

    [TestMethod]
    public void WithFeatures_FeatureNotInDataset_ThrowsNamingIt()
    {
        var full = TrainingDataset.Create(TestMarkets.Synthetic(4, 300), FeatureSpec.Default.Where(f => f.Kind != FeatureKind.Momentum));

        var e = Assert.ThrowsExactly<ArgumentException>(() => full.WithFeatures(new FeatureSpec([new(FeatureKind.Momentum, 90)])));

        StringAssert.Contains(e.Message, "'momentum_90'");
    }
}
