using System.Text.Json;
using Predictive.Tests.Shared;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class TrainCommandTests
{
    [TestMethod]
    [DataRow("eiie")]
    [DataRow("mlp")]
    [DataRow("gbm")]
    public async Task Train_SyntheticMarket_WritesArtifactAndWalkForwardJson(string kind)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"train-{kind}-{Guid.NewGuid():N}");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync("train", "--data", "synthetic", "--model", kind, "--out", dir, "--seed", "7", "--epochs", "3", "--json");

            Assert.AreEqual(0, exit, stderr);
            Assert.IsTrue(File.Exists(Path.Combine(dir, "model.onnx")));
            using var doc = JsonDocument.Parse(stdout);
            var root = doc.RootElement;
            Assert.AreEqual(kind, root.GetProperty("model").GetString());
            var folds = root.GetProperty("folds").EnumerateArray().ToList();
            Assert.IsNotEmpty(folds);
            foreach (var fold in folds)
            {
                Assert.IsTrue(double.IsFinite(fold.GetProperty("sharpe").GetDouble()));
                Assert.IsGreaterThanOrEqualTo(0.0, fold.GetProperty("turnover").GetDouble());
                Assert.IsGreaterThanOrEqualTo(0.0, fold.GetProperty("max_drawdown").GetDouble());
            }

            Assert.IsTrue(double.IsFinite(root.GetProperty("overall").GetProperty("sharpe").GetDouble()));
            AssertBaselines(root, folds.Count);
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "model.json")));
            Assert.AreEqual(root.GetProperty("sha256").GetString(), manifest.RootElement.GetProperty("sha256").GetString());
            Assert.Contains("--model " + kind, manifest.RootElement.GetProperty("command_line").GetString()!);
            Assert.Contains("%", stderr, "progress is reported on stderr");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [TestMethod]
    public async Task Train_HumanOutput_PrintsComparisonTableWithEveryAllocator()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"train-table-{Guid.NewGuid():N}");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync("train", "--data", "synthetic", "--model", "gbm", "--out", dir, "--seed", "7", "--baselines", "all");

            Assert.AreEqual(0, exit, stderr);
            Assert.Contains("comparison, same test blocks and costs", stdout);
            var lines = stdout.Split('\n');
            foreach (var name in new[] { "gbm", "equal", "inverse-vol", "risk-parity", "min-variance", "max-sharpe", "hrp" })
            {
                Assert.IsTrue(lines.Any(l => l.TrimStart().StartsWith(name + " ", StringComparison.Ordinal) || l.TrimStart().StartsWith(name + "*", StringComparison.Ordinal)), $"no row for {name} in:\n{stdout}");
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [TestMethod]
    public async Task Train_UnknownBaseline_FailsListingAllocators()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--model", "gbm", "--out", Path.GetTempPath(), "--baselines", "equal,momentum");

        Assert.AreEqual(1, exit);
        Assert.Contains("momentum", stderr);
        Assert.Contains("equal, inverse-vol, risk-parity, min-variance, max-sharpe, hrp", stderr);
    }

    [TestMethod]
    public async Task Train_EiieWithMaxWeight_ExportsCappedModel()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"train-cap-{Guid.NewGuid():N}");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("train", "--model", "eiie", "--out", dir, "--epochs", "2", "--max-weight", "0.2", "--baselines", "none", "--json");

            Assert.AreEqual(0, exit, stderr);
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(dir, "model.onnx"));
            Assert.AreEqual("0.2", session.ModelMetadata.CustomMetadataMap["predictive.max_weight"]);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [TestMethod]
    public async Task Train_MaxWeightForGbm_FailsSayingEiieOnly()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--model", "gbm", "--out", Path.GetTempPath(), "--max-weight", "0.3");

        Assert.AreEqual(1, exit);
        Assert.Contains("eiie network only", stderr);
    }

    [TestMethod]
    public async Task Train_UnknownModelKind_FailsListingKinds()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--model", "transformer", "--out", Path.GetTempPath());

        Assert.AreEqual(1, exit);
        Assert.Contains("eiie, mlp, gbm", stderr);
    }

    /// <summary>The bundled default model is rebuilt by the command its manifest records, bit for bit.</summary>
    [TestMethod]
    [TestCategory("Slow")]
    public async Task Train_DefaultModelRecordedCommand_ReproducesSha256()
    {
        var repo = RepositoryPaths.Root();
        var manifestPath = Directory.GetFiles(Path.Combine(repo, "models", "default"), "model.json", SearchOption.AllDirectories).Single();
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
        var command = manifest.RootElement.GetProperty("command_line").GetString()!;
        var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var outIndex = Array.IndexOf(args, "--out") + 1;
        var dir = Path.Combine(Path.GetTempPath(), $"default-{Guid.NewGuid():N}");
        args[outIndex] = dir;
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync([.. args, "--json"]);

            Assert.AreEqual(0, exit, stderr);
            using var rebuilt = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "model.json")));
            Assert.AreEqual(manifest.RootElement.GetProperty("sha256").GetString(), rebuilt.RootElement.GetProperty("sha256").GetString());
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>The default classical allocators on the same folds; 1/N is exactly the equal-weight benchmark.</summary>
    private static void AssertBaselines(JsonElement root, int foldCount)
    {
        var baselines = root.GetProperty("baselines");
        CollectionAssert.AreEqual(
            new[] { "equal", "inverse-vol", "risk-parity", "min-variance", "max-sharpe", "hrp" },
            baselines.EnumerateObject().Select(p => p.Name).ToArray());
        foreach (var baseline in baselines.EnumerateObject())
        {
            Assert.IsTrue(double.IsFinite(baseline.Value.GetProperty("sharpe").GetDouble()), baseline.Name);
            Assert.IsGreaterThanOrEqualTo(0.0, baseline.Value.GetProperty("turnover").GetDouble(), baseline.Name);
            Assert.IsGreaterThanOrEqualTo(0.0, baseline.Value.GetProperty("max_drawdown").GetDouble(), baseline.Name);
            Assert.AreEqual(foldCount, baseline.Value.GetProperty("folds").GetArrayLength(), baseline.Name);
        }

        var equal = baselines.GetProperty("equal");
        var benchmark = root.GetProperty("equal_weight");
        foreach (var key in new[] { "sharpe", "turnover", "max_drawdown" })
        {
            Assert.AreEqual(benchmark.GetProperty(key).GetDouble(), equal.GetProperty(key).GetDouble(), 1e-12, key);
        }

        var testRanges = root.GetProperty("folds").EnumerateArray().Select(f => f.GetProperty("test_range").GetString()).ToArray();
        CollectionAssert.AreEqual(testRanges, equal.GetProperty("folds").EnumerateArray().Select(f => f.GetProperty("test_range").GetString()).ToArray(), "same test blocks");
    }
}
