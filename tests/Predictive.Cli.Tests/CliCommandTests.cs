using System.Text.Json;
using Predictive.Tests.Shared;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class CliCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task DataInspect_RealCryptoDaily_ReportsSymbolsAndBars()
    {
        var path = Prerequisites.SharedData("crypto-daily.csv");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("data", "inspect", path, "--json");

        Assert.AreEqual(0, exit, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.AreEqual(21, root.GetProperty("assets").GetArrayLength());
        Assert.AreEqual(3444, root.GetProperty("bars").GetInt32());
        Assert.AreEqual("2014-09-17T00:00:00Z", root.GetProperty("start").GetString());
        Assert.AreEqual("2024-02-20T00:00:00Z", root.GetProperty("end").GetString());
        Assert.AreEqual("1d", root.GetProperty("interval").GetString());
        CollectionAssert.Contains(root.GetProperty("assets").EnumerateArray().Select(e => e.GetString()).ToList(), "BTC");
    }

    [TestMethod]
    [DataRow("equal")]
    [DataRow("inverse-vol")]
    [DataRow("risk-parity")]
    [DataRow("min-variance")]
    [DataRow("max-sharpe")]
    [DataRow("hrp")]
    public async Task Allocate_SyntheticMarket_PrintsWeightsSummingToOne(string allocator)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("allocate", "--data", "synthetic", "--allocator", allocator, "--json");

        Assert.AreEqual(0, exit, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.AreEqual(allocator, doc.RootElement.GetProperty("allocator").GetString());
        var weights = doc.RootElement.GetProperty("weights").EnumerateObject().Select(p => p.Value.GetDouble()).ToList();
        Assert.HasCount(8, weights);
        Assert.AreEqual(1.0, weights.Sum(), 1e-9);
        Assert.IsTrue(weights.All(w => w >= 0));
    }

    /// <summary>
    /// A model directory names an allocator in <c>allocate</c> as in <c>compare</c>. The weights must be what ONNX Runtime
    /// computes from the bundled model on the last bar's features (its own spec) and equal previous weights.
    /// </summary>
    [TestMethod]
    public async Task Allocate_ModelDirectory_PrintsTheModelsWeightsForTheLastBar()
    {
        var directory = RepositoryPaths.Combine("models", "default", "1");

        var (exit, stdout, stderr) = await CliRunner.RunAsync("allocate", "--data", "synthetic", "--allocator", directory, "--json");

        Assert.AreEqual(0, exit, stderr);
        var panel = Predictive.Core.Synthetic.SyntheticMarket.Generate(new Predictive.Core.Synthetic.SyntheticMarketOptions { Seed = 42 });
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(Path.Combine(directory, "model.onnx"));
        var spec = Predictive.Core.Features.FeatureSpec.FromJson(session.ModelMetadata.CustomMetadataMap["predictive.feature_spec"]);
        var frame = Predictive.Core.Features.FeatureBuilder.Build(panel, spec);
        var bar = panel.BarCount - 1;
        var n = panel.AssetCount;
        var features = Array.ConvertAll(frame.Row(bar).ToArray(), v => (float)v);
        var previous = Enumerable.Repeat(1f / n, n).ToArray();
        using var featureTensor = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(features, [1, n, frame.FeatureCount]);
        using var previousTensor = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(previous, [1, n]);
        using var outputs = session.Run(new Microsoft.ML.OnnxRuntime.RunOptions(), ["features", "prev_weights"], [featureTensor, previousTensor], ["weights"]);
        var expected = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        using var doc = JsonDocument.Parse(stdout);
        Assert.AreEqual(DataSources.Iso(panel.Timestamps[bar]), doc.RootElement.GetProperty("at").GetString());
        var weights = doc.RootElement.GetProperty("weights");
        for (var a = 0; a < n; a++)
        {
            Assert.AreEqual(expected[a], weights.GetProperty(panel.Assets[a]).GetDouble(), 1e-6, panel.Assets[a]);
        }
    }

    [TestMethod]
    public async Task Allocate_ModelDirectoryWithMaxWeight_FailsSayingTheCapIsBuiltIn()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("allocate", "--allocator", RepositoryPaths.Combine("models", "default", "1"), "--max-weight", "0.3");

        Assert.AreEqual(1, exit);
        Assert.Contains("cap built in", stderr);
    }

    [TestMethod]
    public async Task Allocate_AtEarlierDate_UsesLastBarAtOrBefore()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("allocate", "--allocator", "equal", "--at", "2021-03-05T12:00:00Z", "--json");

        Assert.AreEqual(0, exit, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.AreEqual("2021-03-05T00:00:00Z", doc.RootElement.GetProperty("at").GetString());
    }

    [TestMethod]
    public async Task Allocate_AtBeforeData_FailsWithMessage()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("allocate", "--allocator", "equal", "--at", "1999-01-01");

        Assert.AreEqual(1, exit);
        Assert.Contains("before the data starts", stderr);
    }

    [TestMethod]
    public async Task Allocate_UnknownAllocator_FailsWithoutStackTrace()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("allocate", "--allocator", "kelly");

        Assert.AreEqual(1, exit);
        Assert.AreEqual(string.Empty, stdout);
        Assert.Contains("Unknown allocator 'kelly'", stderr);
        Assert.Contains("risk-parity", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [TestMethod]
    public async Task Allocate_UnknownAllocatorVerbose_PrintsStackTrace()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("allocate", "--allocator", "kelly", "--verbose");

        Assert.AreEqual(1, exit);
        Assert.Contains("   at ", stderr);
    }

    [TestMethod]
    public async Task DataInspect_MissingFile_FailsNamingThePath()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("data", "inspect", "/no/such/prices.csv");

        Assert.AreEqual(1, exit);
        Assert.Contains("/no/such/prices.csv", stderr);
    }

    [TestMethod]
    public async Task DataInspect_NaNPrice_FailsNamingFileAndLine()
    {
        var path = Path.Combine(TestContext.TestRunDirectory ?? Path.GetTempPath(), $"nan-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, "timestamp,symbol,close\n2024-01-01,BTC,42000\n2024-01-02,BTC,NaN\n", TestContext.CancellationToken);
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("data", "inspect", path);

            Assert.AreEqual(1, exit);
            Assert.Contains($"{path}:3", stderr);
            Assert.Contains("NaN", stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task Demo_EmbeddedDefaults_PrintsEveryAllocator()
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync("demo");

        Assert.AreEqual(0, exit, stderr);
        foreach (var name in new[] { "equal", "inverse-vol", "risk-parity", "min-variance", "max-sharpe", "hrp" })
        {
            Assert.Contains(name, stdout);
        }
    }

    [TestMethod]
    public async Task Run_UnknownCommand_ReturnsUsageError()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("frobnicate");

        Assert.AreNotEqual(0, exit);
        Assert.IsFalse(string.IsNullOrWhiteSpace(stderr));
    }
}
