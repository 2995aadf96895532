using System.Text.Json.Nodes;
using Predictive.Onnx.Graph;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Cli;

/// <summary>
/// <c>predictive models import</c> and <c>models list</c>, run as the real command line, judged against the real service
/// (Kestrel) over the same folder: what the command line accepts or refuses, the service serves or refuses alike.
/// </summary>
[TestClass]
public sealed class ModelsCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ModelsImport_ModelFailingSmokeCheck_RefusedLikeTheServiceAndNothingWritten()
    {
        using var target = new ModelsFolder();
        using var served = new ModelsFolder();
        served.Add("negative", "1", TestModels.NegativeWeights());
        var file = Save(target, TestModels.NegativeWeights());

        var (exit, stdout, stderr) = await CliProcess.PredictiveAsync(TestContext.CancellationToken, "models", "import", file, "--name", "negative", "--version", "1", "--models-dir", target.Path, "--json");

        Assert.AreEqual(1, exit, stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.IsFalse(result["imported"]!.GetValue<bool>());
        Assert.IsFalse(Directory.Exists(target.Dir("negative", "1")), "a refused model leaves nothing behind");
        var service = await ServiceModelsAsync(served.Path);
        var refusal = service["refused"]!.AsArray().Single()!;
        Assert.AreEqual(refusal["stage"]!.GetValue<string>(), result["stage"]!.GetValue<string>());
        Assert.AreEqual("smoke", result["stage"]!.GetValue<string>());
        Assert.AreEqual(refusal["reason"]!.GetValue<string>(), result["reason"]!.GetValue<string>());
    }

    [TestMethod]
    public async Task ModelsImport_NotOnnx_FailsNamingTheOpsetCheck()
    {
        using var target = new ModelsFolder();
        var file = Path.Combine(target.Path, "junk.onnx");
        File.WriteAllBytes(file, [.. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))]);

        var (exit, _, stderr) = await CliProcess.PredictiveAsync(TestContext.CancellationToken, "models", "import", file, "--name", "junk", "--version", "1", "--models-dir", target.Path);

        Assert.AreEqual(1, exit);
        StringAssert.Contains(stderr, "refused junk/1 at the opset check: the file is not an ONNX model");
        Assert.IsFalse(Directory.Exists(target.Dir("junk", "1")));
    }

    [TestMethod]
    public async Task ModelsImport_ExistingVersion_FailsAndKeepsTheFirstModel()
    {
        using var target = new ModelsFolder();
        var first = Save(target, TestModels.Linear(), "first.onnx");
        var second = Save(target, TestModels.Linear(scale: 2), "second.onnx");
        var ct = TestContext.CancellationToken;
        Assert.AreEqual(0, (await CliProcess.PredictiveAsync(ct, "models", "import", first, "--name", "m", "--version", "1", "--models-dir", target.Path)).ExitCode);
        var pinned = File.ReadAllText(Path.Combine(target.Dir("m", "1"), "model.json"));

        var (exit, _, stderr) = await CliProcess.PredictiveAsync(ct, "models", "import", second, "--name", "m", "--version", "1", "--models-dir", target.Path);

        Assert.AreEqual(1, exit);
        StringAssert.Contains(stderr, "already holds a model; versions are immutable");
        Assert.AreEqual(pinned, File.ReadAllText(Path.Combine(target.Dir("m", "1"), "model.json")));
        CollectionAssert.AreEqual(File.ReadAllBytes(first), File.ReadAllBytes(Path.Combine(target.Dir("m", "1"), "model.onnx")));
    }

    [TestMethod]
    public async Task ModelsList_MixedFolder_AgreesWithTheServiceModelsEndpoint()
    {
        using var folder = new ModelsFolder();
        folder.Add("default", "1", TestModels.Linear())
            .Add("default", "2", TestModels.Linear(scale: 2))
            .Add("negative", "1", TestModels.NegativeWeights())
            .AddGarbage("garbage", "1")
            .AddTampered("tampered", "1");

        var (exit, stdout, stderr) = await CliProcess.PredictiveAsync(TestContext.CancellationToken, "models", "list", "--models-dir", folder.Path, "--json");
        var text = await CliProcess.PredictiveAsync(TestContext.CancellationToken, "models", "list", "--models-dir", folder.Path);
        TestContext.WriteLine(text.Stdout);

        Assert.AreEqual(0, exit, stderr);
        var cli = JsonNode.Parse(stdout)!;
        var service = await ServiceModelsAsync(folder.Path);
        Assert.AreEqual(service["default"]!.GetValue<string>(), cli["default"]!.GetValue<string>());
        Assert.AreEqual("default/2", cli["default"]!.GetValue<string>(), "the newest version of 'default'");
        CollectionAssert.AreEqual(
            service["loaded"]!.AsArray().Select(m => $"{m!["name"]}/{m["version"]} {m["sha256"]}").ToArray(),
            cli["served"]!.AsArray().Select(m => $"{m!["name"]}/{m["version"]} {m["sha256"]}").ToArray());
        CollectionAssert.AreEqual(
            service["refused"]!.AsArray().Select(r => $"{r!["model"]} {r["stage"]}").Order(StringComparer.Ordinal).ToArray(),
            cli["refused"]!.AsArray().Select(r => $"{r!["model"]} {r["stage"]}").Order(StringComparer.Ordinal).ToArray());
        CollectionAssert.AreEquivalent(new[] { "garbage/1", "negative/1", "tampered/1" }, cli["refused"]!.AsArray().Select(r => r!["model"]!.GetValue<string>()).ToArray());
        StringAssert.Contains(text.Stdout, "refused  tampered/1 at the integrity check");
    }

    [TestMethod]
    public async Task ModelsList_MissingFolder_FailsNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "predictive-no-such-models-" + Guid.NewGuid().ToString("N"));

        var (exit, _, stderr) = await CliProcess.PredictiveAsync(TestContext.CancellationToken, "models", "list", "--models-dir", missing);

        Assert.AreEqual(1, exit);
        StringAssert.Contains(stderr, $"--models-dir: '{missing}' does not exist.");
    }

    private static string Save(ModelsFolder folder, OnnxModel model, string fileName = "model-to-import.onnx")
    {
        var path = Path.Combine(folder.Path, fileName);
        model.Save(path);
        return path;
    }

    private static async Task<JsonObject> ServiceModelsAsync(string modelsDirectory)
    {
        using var factory = new ServiceFactory(modelsDirectory);
        using var client = factory.Client();
        return await client.GetObject("/v1/models");
    }
}
