using System.Text.Json.Nodes;
using Predictive.Onnx.Manifest;
using Predictive.Training.Data;
using Predictive.Training.Pipeline;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Pipeline;

[TestClass]
public sealed class EnsembleTrainingTests
{
    [TestMethod]
    public void Run_EnsembleSeeds_ModelIsMeanOfSeparatelyTrainedSeeds()
    {
        var directory = Path.Combine(Path.GetTempPath(), "predictive-ensemble-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = SmallTraining.Ensemble(directory);

            var result = TrainingRunner.Run(options);

            // Independently: the two seeds' final networks, trained one by one on the same ranges, averaged.
            var data = TrainingDataset.Create(options.Panel, options.ResolveSpec());
            var fit = SampleRange.FromBounds(0, data.SampleCount - 60 - options.WalkForward.Gap);
            var validation = SampleRange.FromBounds(data.SampleCount - 60, data.SampleCount);
            var members = options.Seeds.Select(seed => TorchAllocatorTrainer.Train(data, fit, validation, (options with { Seed = seed }).ToTrainerOptions()).Network).ToList();
            try
            {
                var input = NetworkInputs.Random(members[0].Scaler, batch: 200, assets: data.AssetCount, seed: 12);
                var expected = new float[input.Mask.Length];
                var each = new float[input.Mask.Length];
                foreach (var m in members)
                {
                    m.Predict(input.FeatureValues, input.Mask, input.Held, input.Batch, each);
                    for (var i = 0; i < each.Length; i++)
                    {
                        expected[i] += each[i] / members.Count;
                    }
                }

                var package = ModelPackage.Open(directory);
                using var session = package.CreateSession();
                var served = OnnxTools.Run(session, input.FeaturesWithNaN(), [input.Batch, input.Assets, input.Features], input.Held, [input.Batch, input.Assets]);
                for (var i = 0; i < expected.Length; i++)
                {
                    Assert.AreEqual(expected[i], served[i], 1e-5, $"entry {i}");
                }
            }
            finally
            {
                members.ForEach(m => m.Dispose());
            }

            var record = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ModelManifest.FileName)))!;
            CollectionAssert.AreEqual(new[] { 3, 8 }, record["ensemble"]!["seeds"]!.AsArray().Select(x => (int)x!).ToArray());
            Assert.HasCount(2, record["ensemble"]!["member_walk_forward_sharpe"]!.AsArray());
            Assert.AreEqual("pool", (string?)record["training_cost"]);
            Assert.HasCount(2, result.Folds);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [TestMethod]
    [DataRow(new[] { 4 })]
    [DataRow(new[] { 4, 4 })]
    public void Validate_EnsembleSeedsNotTwoDistinct_ThrowsNamingThem(int[] seeds)
    {
        var options = new TrainingOptions { Panel = TestMarkets.Synthetic(3, 300), EnsembleSeeds = seeds };

        var e = Assert.ThrowsExactly<ArgumentException>(options.Validate);

        Assert.AreEqual("EnsembleSeeds", e.ParamName);
    }
}
