using System.Text.Json.Nodes;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Manifest;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Pipeline;

[TestClass]
public sealed class TrainingRunnerTests
{
    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie)]
    [DataRow(AllocatorModelKind.Mlp)]
    public void Run_SyntheticMarket_WritesVerifiedPackageWithTrainingRecord(AllocatorModelKind kind)
    {
        var directory = Path.Combine(Path.GetTempPath(), "predictive-train-" + Guid.NewGuid().ToString("N"));
        try
        {
            var reports = new List<TrainingProgress>();
            var options = new TrainingOptions
            {
                Panel = TestMarkets.Synthetic(5, 700),
                Model = kind,
                Epochs = 2,
                Hidden = 8,
                ValidationSize = 60,
                WalkForward = new WalkForwardOptions { Folds = 2, MinTrainSize = 250 },
                OutDir = directory,
                CommandLine = "predictive train --model test",
            };

            var result = TrainingRunner.Run(options, new SyncProgress(reports.Add));

            Assert.HasCount(2, result.Folds);
            Assert.IsNotNull(result.Overall);
            Assert.AreEqual(result.Folds.Sum(f => f.Test.Observations), result.Overall.Observations);
            Assert.AreEqual(3, reports.Select(r => r.Stage).Distinct().Count(), "two folds and the final model");
            Assert.AreEqual(1.0, reports[^1].Fraction, 1e-9);

            var package = ModelPackage.Open(directory);
            using var session = package.CreateSession();
            ModelContract.Validate(session);
            Assert.AreEqual(kind == AllocatorModelKind.Mlp, package.Manifest.Assets is not null);
            var record = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ModelManifest.FileName)))!;
            Assert.AreEqual("predictive train --model test", (string?)record["command_line"]);
            Assert.AreEqual(42, (int)record["seed"]!);
            Assert.HasCount(2, record["walk_forward"]!["folds"]!.AsArray());
            Assert.IsNotNull(record["feature_spec"]!["features"]);
            Assert.AreEqual(result.FinalTrainingRange, (string?)record["training_range"]);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
