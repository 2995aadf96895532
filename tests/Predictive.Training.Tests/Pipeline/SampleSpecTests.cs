using Predictive.Core.Features;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Tests.Support;

namespace Predictive.Training.Tests.Pipeline;

[TestClass]
public sealed class SampleSpecTests
{
    [TestMethod]
    public void CreateDataset_SubsetOnFullSpecSamples_SameSamplesAsFullSpecWithSubsetFeatures()
    {
        var panel = TestMarkets.WithLateListing(TestMarkets.Synthetic(4, 400), asset: 1, unlistedBars: 150);
        var full = FeatureSpec.Default;
        var compact = full.Where(f => f.Kind is FeatureKind.LogReturn);
        var options = new TrainingOptions { Panel = panel, Spec = compact, SampleSpec = full };

        var data = options.CreateDataset();

        var reference = TrainingDataset.Create(panel, full);
        var alone = TrainingDataset.Create(panel, compact);
        Assert.IsFalse(reference.Mask.SequenceEqual(alone.Mask) && reference.Bars.SequenceEqual(alone.Bars), "the shorter windows alone would give other samples or availability");
        CollectionAssert.AreEqual(reference.Bars.ToArray(), data.Bars.ToArray());
        CollectionAssert.AreEqual(reference.Mask.ToArray(), data.Mask.ToArray());
        CollectionAssert.AreEqual(compact.FeatureNames.ToArray(), data.Spec.FeatureNames.ToArray());
    }
}
