using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Predictive.Service.Tests.Support;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Api;

/// <summary>
/// Bring your own model: an allocator exported by real PyTorch (torch.onnx.export) is imported with
/// <c>predictive models import</c> and served unchanged.
/// </summary>
[TestClass]
public sealed class PyTorchModelTests
{
    private const string Python = "/usr/bin/python3";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ModelsImport_PyTorchExportedModel_ServiceServesWeightsMatchingPyTorch()
    {
        var ct = TestContext.CancellationToken;
        var probe = await CliProcess.RunAsync(Python, ["-c", "import torch, onnx"], ct);
        if (probe.ExitCode != 0)
        {
            Prerequisites.Missing($"PyTorch is not importable from {Python} ({probe.Stderr.Trim()})", "run eng/install-python-deps.sh (Debian python3-torch, python3-onnx)");
        }

        var script = RepositoryPaths.Combine("eng", "make-pytorch-model.py");
        using var folder = new ModelsFolder();
        var work = Directory.CreateTempSubdirectory("pytorch-").FullName;
        try
        {
            var specFile = Path.Combine(work, "spec.json");
            File.WriteAllText(specFile, TestModels.Spec.ToJson());
            var onnxFile = Path.Combine(work, "model.onnx");
            var made = await CliProcess.RunAsync(Python, [script, onnxFile, specFile, "--seed", "7"], ct);
            Assert.AreEqual(0, made.ExitCode, made.Stdout + made.Stderr);
            var expected = JsonNode.Parse(made.Stdout.Trim().Split('\n')[^1])!["probe_weights"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();

            var import = await CliProcess.PredictiveAsync(ct, "models", "import", onnxFile, "--name", "pytorch", "--version", "1", "--models-dir", folder.Path);
            TestContext.WriteLine(import.Stdout + import.Stderr);
            Assert.AreEqual(0, import.ExitCode, import.Stderr);
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Dir("pytorch", "1"), "model.json")))!;
            Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(onnxFile))), manifest["sha256"]!.GetValue<string>(), "model.json pins the exported file");

            using var factory = new ServiceFactory(folder.Path);
            using var client = factory.Client();
            var models = await client.GetObject("/v1/models");
            Assert.IsEmpty(models["refused"]!.AsArray(), models.ToJsonString());

            // The script's probe: features arange(9)/10 as [3 assets][3 features], prev [0.2, 0.3, 0.5].
            var features = Enumerable.Range(0, 3).Select(a => Enumerable.Range(0, 3).Select(k => ((a * 3) + k) / 10f).ToArray()).ToArray();
            var body = await (await client.PostTargets(Payloads.Body(Payloads.Portfolio("p1", Payloads.Assets3, [0.2, 0.3, 0.5], features)))).ReadObject(HttpStatusCode.OK);

            Assert.AreEqual("pytorch", body["model"]!["name"]!.GetValue<string>());
            var weights = Payloads.Weights(body["targets"]![0]!);
            for (var a = 0; a < 3; a++)
            {
                Assert.AreEqual(expected[a], weights[a], 1e-5, $"asset {a}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
