using Predictive.Onnx.Contract;
using Predictive.Onnx.Manifest;
using Predictive.Training.Data;
using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

[TestClass]
public sealed class GbmTrainerTests
{
    private static readonly WalkForwardOptions TwoFolds = new() { Folds = 2, MinTrainSize = 150, Purge = 1, Embargo = 2 };

    [TestMethod]
    public void Train_SameSeedTwice_IdenticalModelBytesAndMetrics()
    {
        var panel = GbmTestData.Synthetic(bars: 450, assets: 4);

        var first = GbmTrainer.Train(panel, null, GbmTestData.FastOptions, TwoFolds);
        var second = GbmTrainer.Train(panel, null, GbmTestData.FastOptions, TwoFolds);

        CollectionAssert.AreEqual(
            GbmOnnxExporter.Build(first.Model, first.Summary()).ToByteArray(),
            GbmOnnxExporter.Build(second.Model, second.Summary()).ToByteArray());
        CollectionAssert.AreEqual(first.Folds.ToArray(), second.Folds.ToArray());
    }

    [TestMethod]
    public void Train_WalkForward_ReportsOutOfSampleMetricsPerFold()
    {
        var panel = GbmTestData.Synthetic(bars: 450, assets: 4);
        var reports = new List<GbmProgress>();

        var result = GbmTrainer.Train(panel, null, GbmTestData.FastOptions, TwoFolds, new SynchronousProgress(reports));

        Assert.HasCount(2, result.Folds);
        foreach (var fold in result.Folds)
        {
            var p = fold.Performance;
            Assert.AreEqual(fold.Fold.Test.Count, p.Observations);
            Assert.IsTrue(double.IsFinite(p.Sharpe) && p.Sharpe != 0, $"fold {fold.Fold.Index} Sharpe {p.Sharpe}");
            Assert.IsTrue(double.IsFinite(p.Turnover) && p.Turnover > 0, $"turnover {p.Turnover}");
            Assert.IsTrue(p.MaxDrawdown is >= 0 and < 1, $"drawdown {p.MaxDrawdown}");
            Assert.IsGreaterThan(100, fold.TrainRows);
            Assert.IsTrue(double.IsFinite(fold.ReturnRmse) && double.IsFinite(fold.VolatilityRmse));
        }

        Assert.IsLessThan(result.Folds[1].TrainRows, result.Folds[0].TrainRows, "expanding windows grow");
        Assert.AreEqual("final model: training on all labelled samples", reports[^1].Stage);
        Assert.HasCount(5, reports);
    }

    [TestMethod]
    public void Train_CanceledToken_ThrowsOperationCanceled()
    {
        var panel = GbmTestData.Synthetic(bars: 450, assets: 4);
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsExactly<OperationCanceledException>(() => GbmTrainer.Train(panel, null, GbmTestData.FastOptions, TwoFolds, cancellationToken: cts.Token));
    }

    [TestMethod]
    public void Export_TrainedModel_WritesVerifiedPackageThatMeetsTheContract()
    {
        var panel = GbmTestData.Synthetic(bars: 450, assets: 4);
        var result = GbmTrainer.Train(panel, null, GbmTestData.FastOptions, TwoFolds);
        var directory = Directory.CreateTempSubdirectory("predictive-gbm-export-").FullName;
        try
        {
            var manifest = GbmOnnxExporter.Export(result, directory, "test.1");

            var package = ModelPackage.Open(directory);
            using var session = package.CreateSession();
            ModelContract.Validate(session);
            var metadata = session.ModelMetadata.CustomMetadataMap;
            Assert.AreEqual("gbm-allocator", manifest.Name);
            Assert.IsNull(manifest.Assets);
            Assert.AreEqual("7", metadata[ModelMetadataKeys.Seed]);
            Assert.Contains("\"sharpe\":", metadata[ModelMetadataKeys.ValidationMetrics]);
            Assert.AreEqual(result.Model.Spec.ToJson(), metadata[ModelMetadataKeys.FeatureSpec]);
            Assert.StartsWith(panel.Timestamps[0].ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture), metadata[ModelMetadataKeys.TrainingRange]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class SynchronousProgress(List<GbmProgress> reports) : IProgress<GbmProgress>
    {
        public void Report(GbmProgress value) => reports.Add(value);
    }
}
