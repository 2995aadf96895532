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
            var environment = manifest.RootElement.GetProperty("environment");
            Assert.AreEqual(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, environment.GetProperty("dotnet_version").GetString());
            Assert.AreEqual(kind == "gbm", environment.TryGetProperty("mlnet_version", out _), "ML.NET's version for gbm only");
            Assert.AreEqual(kind != "gbm", environment.TryGetProperty("torch_cpu_capability", out _), "the kernel set for torch models only");
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
            Assert.Contains("comparison, same test blocks, costs and policy", stdout);
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
    [DataRow("--ensemble-seeds", "3,5", "(an ensemble of seeds 3, 5)")]
    [DataRow("--seed", "7", "(seed 7)")]
    public async Task Train_HumanOutput_NamesTheSeedsTheNetworksWereTrainedWith(string option, string value, string expected)
    {
        // An ensemble trains one network per seed of --ensemble-seeds; the summary line names those, not --seed's default.
        var dir = Path.Combine(Path.GetTempPath(), $"train-seeds-{Guid.NewGuid():N}");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync("train", "--data", "synthetic", "--model", "mlp", "--out", dir, "--epochs", "2", "--baselines", "none", option, value);

            Assert.AreEqual(0, exit, stderr);
            var first = stdout.Split('\n')[0];
            Assert.StartsWith("Trained mlp " + expected, first);
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

    /// <summary>
    /// The bundled default model is rebuilt by the command its manifest records, bit for bit: in this test process, and
    /// in a fresh <c>predictive</c> process started with <c>ATEN_CPU_CAPABILITY</c> exported to another kernel set,
    /// which training must override. The rebuilt manifest records the kernel set libtorch reported, the pinned avx2.
    /// </summary>
    [TestMethod]
    [TestCategory("Slow")]
    [DataRow(null, DisplayName = "in process, inherited environment")]
    [DataRow("default", DisplayName = "child process, ATEN_CPU_CAPABILITY=default exported")]
    [DataRow("avx512", DisplayName = "child process, ATEN_CPU_CAPABILITY=avx512 exported")]
    public async Task Train_DefaultModelRecordedCommand_ReproducesSha256(string? exportedCapability)
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
            var (exit, _, stderr) = exportedCapability is null
                ? await CliRunner.RunAsync([.. args, "--json"])
                : await CliRunner.RunChildAsync(new Dictionary<string, string> { ["ATEN_CPU_CAPABILITY"] = exportedCapability }, [.. args, "--json"]);

            Assert.AreEqual(0, exit, stderr);
            using var rebuilt = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "model.json")));
            Assert.AreEqual(manifest.RootElement.GetProperty("sha256").GetString(), rebuilt.RootElement.GetProperty("sha256").GetString());
            var environment = rebuilt.RootElement.GetProperty("environment");
            Assert.AreEqual("avx2", environment.GetProperty("torch_cpu_capability").GetString());
            Assert.AreEqual(1, environment.GetProperty("torch_threads").GetInt32());
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
    public async Task Train_UnknownPolicy_FailsNamingTheOption()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--model", "gbm", "--out", Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}"), "--policy", "sometimes");

        Assert.AreNotEqual(0, exit);
        Assert.Contains("--policy", stderr);
        Assert.Contains("sometimes", stderr);
    }

    [TestMethod]
    public async Task Train_TorchModel_RecordsWhatReproducibilityDependsOn()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"train-env-{Guid.NewGuid():N}");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("train", "--model", "mlp", "--out", dir, "--epochs", "1", "--baselines", "none", "--json");

            Assert.AreEqual(0, exit, stderr);
            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "model.json")));
            var environment = manifest.RootElement.GetProperty("environment");
            Assert.AreEqual("avx2", environment.GetProperty("torch_cpu_capability").GetString());
            Assert.AreEqual(TorchSharp.torch.get_num_threads(), environment.GetProperty("torch_threads").GetInt32());
            Assert.AreEqual(TorchSharp.torch.get_num_interop_threads(), environment.GetProperty("torch_interop_threads").GetInt32());
            Assert.AreEqual(VersionOf(typeof(TorchSharp.torch)), environment.GetProperty("torchsharp_version").GetString());
            Assert.AreEqual(Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString(), environment.GetProperty("onnxruntime_version").GetString());
            Assert.AreEqual(1, environment.GetProperty("onnxruntime_threads").GetProperty("intra_op").GetInt32());
            Assert.AreEqual(1, environment.GetProperty("onnxruntime_threads").GetProperty("inter_op").GetInt32());
            Assert.AreEqual(System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, environment.GetProperty("dotnet_version").GetString());
            Assert.MatchesRegex(@"^\d+\.\d+\.\d+$", environment.GetProperty("libtorch_version").GetString()!);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static string VersionOf(Type type) =>
        type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];

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
