using Predictive.Training.Data;
using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

[TestClass]
public sealed class GbmRowsTests
{
    [TestMethod]
    public void Select_BarLimit_PurgesEveryRowWhoseLabelsReadPastIt()
    {
        var panel = GbmTestData.Synthetic(bars: 400, assets: 4);
        var dataset = TrainingDataset.Create(panel);
        var options = GbmTestData.FastOptions with { VolatilityHorizon = 10 };
        var labels = GbmLabels.Compute(panel, options);
        var limit = dataset.Bar(250);

        var rows = GbmRows.Select(dataset.Features, dataset.Mask, dataset.Bars, labels, 0, 250, limit);

        Assert.AreEqual(limit - 10, rows.LastBar, "the last kept row's 10-bar label ends exactly at the limit");
        Assert.AreEqual(dataset.Bar(0), rows.FirstBar);
        Assert.AreEqual(rows.Count * dataset.FeatureCount, rows.Features.Length);
    }

    [TestMethod]
    public void Select_UnavailableAssets_AreLeftOut()
    {
        var panel = GbmTestData.Synthetic(bars: 300, assets: 3);
        var dataset = TrainingDataset.Create(panel);
        var labels = GbmLabels.Compute(panel, GbmTestData.FastOptions);
        var mask = dataset.Mask.ToArray();
        mask[0] = false; // asset 0 at sample 0

        var all = GbmRows.Select(dataset.Features, dataset.Mask, dataset.Bars, labels, 0, 1, panel.BarCount);
        var masked = GbmRows.Select(dataset.Features, mask, dataset.Bars, labels, 0, 1, panel.BarCount);

        Assert.AreEqual(3, all.Count);
        Assert.AreEqual(2, masked.Count);
        CollectionAssert.AreEqual(all.Features[dataset.FeatureCount..], masked.Features);
    }
}
