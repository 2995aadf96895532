using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Manifest;
using Predictive.Research.Statistics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Pipeline;
using Predictive.Training.Tests.Support;

namespace Predictive.Training.Tests.Card;

[TestClass]
public sealed class ModelCardTests
{
    // The card rounds its figures to 6 decimals.
    private const double Rounding = 5e-7;

    [TestMethod]
    public void Run_EnsembleWithWalkForward_CardMatchesBacktestsAndSeededBootstrap()
    {
        var directory = NewDirectory();
        try
        {
            var options = SmallTraining.Ensemble(directory);

            var result = TrainingRunner.Run(options);

            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ModelManifest.FileName)))!;
            var card = manifest["card"]!;
            var rows = card["walk_forward"]!["folds"]!.AsArray();
            Assert.HasCount(2, rows);
            for (var k = 0; k < 2; k++)
            {
                Assert.AreEqual(result.Folds[k].Test.Sharpe, (double)rows[k]!["sharpe"]!, Rounding, $"fold {k}: the card's Sharpe is the backtest's");
                Assert.AreEqual(result.Folds[k].EqualWeightTest.Sharpe, (double)rows[k]!["equal_weight_sharpe"]!, Rounding, $"fold {k}: 1/N");
                Assert.AreEqual(result.Folds[k].TestRange, (string?)rows[k]!["test"]);
            }

            var overall = card["walk_forward"]!["overall"]!;
            Assert.AreEqual(result.Overall!.Sharpe, (double)overall["sharpe"]!, Rounding);
            Assert.AreEqual(result.EqualWeightOverall!.Sharpe, (double)overall["equal_weight_sharpe"]!, Rounding);
            foreach (var row in rows.Append(overall))
            {
                var ci = row!["sharpe_ci"]!.AsArray();
                Assert.IsTrue((double)ci[0]! <= (double)row["sharpe"]! && (double)row["sharpe"]! <= (double)ci[1]!, $"{row["test"]}: the interval [{ci[0]}, {ci[1]}] holds the point estimate {row["sharpe"]}");
            }

            // Independently: 1/N backtested again on the same blocks, its returns chained by hand, the same seeded bootstrap.
            var data = TrainingDataset.Create(options.Panel, options.ResolveSpec());
            var evaluator = new SampleBacktester(data, options.Evaluation);
            var folds = WalkForwardSplitter.Split(data.SampleCount, options.WalkForward);
            var blocks = folds.Select(f => evaluator.Run("equal", f.Test, evaluator.EqualWeights)).ToList();
            var chained = new List<double>();
            var value = (double)blocks[0].InitialValueQuote;
            foreach (var b in blocks)
            {
                var scale = value / (double)b.InitialValueQuote;
                var previous = value;
                for (var t = 1; t < b.BarCount; t++)
                {
                    var next = b.Equity[t] * scale;
                    chained.Add((next / previous) - 1);
                    previous = next;
                }

                value = previous;
            }

            var r = chained.ToArray();
            var (low, high) = new StationaryBootstrap(Math.Ceiling(Math.Cbrt(r.Length)), 1_000, 42).SharpeInterval(r, blocks[0].BarsPerYear, 0.95);
            var equalCi = overall["equal_weight_sharpe_ci"]!.AsArray();
            Assert.AreEqual(low, (double)equalCi[0]!, Rounding);
            Assert.AreEqual(high, (double)equalCi[1]!, Rounding);
            Assert.AreEqual(ReturnStatistics.Sharpe(r) * Math.Sqrt(blocks[0].BarsPerYear), result.EqualWeightOverall.Sharpe, 1e-12);

            // The seeds: each member's figure is the one the training record lists, with their sample sd.
            var members = card["seeds"]!["members"]!.AsArray();
            var recorded = manifest["ensemble"]!["member_walk_forward_sharpe"]!.AsArray().Select(x => (double)x!).ToArray();
            CollectionAssert.AreEqual(new[] { 3, 8 }, members.Select(m => (int)m!["seed"]!).ToArray());
            for (var k = 0; k < recorded.Length; k++)
            {
                Assert.AreEqual(recorded[k], (double)members[k]!["sharpe"]!, Rounding, $"member {k}");
            }

            var mean = recorded.Average();
            Assert.AreEqual(Math.Sqrt(recorded.Sum(x => (x - mean) * (x - mean)) / (recorded.Length - 1)), (double)card["seeds"]!["sd"]!, Rounding);

            // No search: one trial, and the deflated Sharpe is then the probabilistic Sharpe against 0.
            Assert.AreEqual("none", (string?)card["search"]!["space"]);
            Assert.AreEqual(1, (int)card["deflated_sharpe"]!["trials"]!);

            // Holdings of 1/N on the same blocks, by hand: (Σw)²/Σw² at every bar.
            var effective = blocks.SelectMany(b => Enumerable.Range(0, b.BarCount).Select(t => b.WeightsAt(t).ToArray()))
                .Where(w => w.Sum(x => x * x) > 0).Select(w => w.Sum() * w.Sum() / w.Sum(x => x * x)).Average();
            Assert.AreEqual(effective, (double)card["holdings"]!["equal_weight_mean_effective_n"]!, Rounding);
            Assert.IsTrue(File.ReadAllText(Path.Combine(directory, "model-card.md")).Contains("| **overall** |", StringComparison.Ordinal), "model-card.md renders the table");
        }
        finally
        {
            Delete(directory);
        }
    }

    [TestMethod]
    public void Open_CardChangedRemovedOrAddedAfterTraining_RefusedWhileReindentedCardLoads()
    {
        var directory = NewDirectory();
        try
        {
            TrainingRunner.Run(new TrainingOptions { Panel = TestMarkets.Synthetic(4, 500), Epochs = 1, Hidden = 8, ValidationSize = 60, RunWalkForward = false, OutDir = directory });
            var path = Path.Combine(directory, ModelManifest.FileName);
            var original = File.ReadAllText(path);
            var manifest = JsonNode.Parse(original)!.AsObject();
            var card = manifest["card"]!.AsObject();
            var bytes = File.ReadAllBytes(Path.Combine(directory, ModelManifest.DefaultModelFile));
            Assert.AreEqual(ModelCardSeal.Hash(card), OnnxMetadataReader.Find(bytes, ModelMetadataKeys.ModelCardSha256), "the model pins the card's hash");
            ModelPackage.Open(directory);

            // Re-indented (compact) JSON is the same card.
            File.WriteAllText(path, manifest.ToJsonString());
            ModelPackage.Open(directory);

            // One figure changed: refused, as a swapped model file would be.
            var changed = JsonNode.Parse(original)!.AsObject();
            changed["card"]!["configuration"]!["epochs"] = 30;
            File.WriteAllText(path, changed.ToJsonString());
            var e = Assert.ThrowsExactly<ModelIntegrityException>(() => ModelPackage.Open(directory));
            Assert.Contains("card was changed after training", e.Message);

            // Removed: refused.
            var removed = JsonNode.Parse(original)!.AsObject();
            removed.Remove("card");
            File.WriteAllText(path, removed.ToJsonString());
            e = Assert.ThrowsExactly<ModelIntegrityException>(() => ModelPackage.Open(directory));
            Assert.Contains("has none", e.Message);

            // Added to a model that pins none: refused.
            var bare = NewDirectory();
            try
            {
                var unpinned = WithoutCardPin(bytes);
                Directory.CreateDirectory(bare);
                File.WriteAllBytes(Path.Combine(bare, ModelManifest.DefaultModelFile), unpinned);
                var plain = new ModelManifest("bare", "1", ModelManifest.DefaultModelFile, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(unpinned)), null);
                File.WriteAllText(Path.Combine(bare, ModelManifest.FileName), JsonSerializer.Serialize(plain));
                ModelPackage.Open(bare);
                var added = JsonNode.Parse(JsonSerializer.Serialize(plain))!.AsObject();
                added["card"] = card.DeepClone();
                File.WriteAllText(Path.Combine(bare, ModelManifest.FileName), added.ToJsonString());
                e = Assert.ThrowsExactly<ModelIntegrityException>(() => ModelPackage.Open(bare));
                Assert.Contains("cannot be added after training", e.Message);
            }
            finally
            {
                Delete(bare);
            }
        }
        finally
        {
            Delete(directory);
        }
    }

    // The trained model's bytes without the card pin. The pin is the last field written: tag 0x72 (field 14, length-
    // delimited), its length, then the key (0x0A, 28, key) and the value (0x12, 64, hex): 98 bytes in all.
    private static byte[] WithoutCardPin(byte[] bytes)
    {
        const int entry = 2 + 2 + 28 + 2 + 64;
        Assert.AreEqual(0x72, bytes[^entry]);
        var trimmed = bytes[..^entry];
        Assert.IsNull(OnnxMetadataReader.Find(trimmed, ModelMetadataKeys.ModelCardSha256));
        Assert.IsNotNull(OnnxMetadataReader.Find(trimmed, ModelMetadataKeys.FeatureSpec), "the rest of the metadata is intact");
        return trimmed;
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "predictive-card-" + Guid.NewGuid().ToString("N"));

    private static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
