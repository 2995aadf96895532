using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Predictive.Onnx.Registry;
using Predictive.Service.Tests.Support;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Api;

/// <summary>Bring your own model: an allocator exported by real PyTorch (torch.onnx.export) is served unchanged.</summary>
[TestClass]
public sealed class PyTorchModelTests
{
    private const string Python = "/usr/bin/python3";

    [TestMethod]
    public async Task PostTargets_PyTorchExportedModel_ServesWeightsMatchingPyTorch()
    {
        var why = $"{Python} is missing";
        if (!File.Exists(Python) || Run(Python, "-c \"import torch, onnx\"", out why) != 0)
        {
            Prerequisites.Missing($"PyTorch is not importable from {Python} ({why.Trim()})", "run eng/install-python-deps.sh (Debian python3-torch, python3-onnx)");
        }

        var script = RepositoryPaths.Combine("eng", "make-pytorch-model.py");
        using var folder = new ModelsFolder();
        var work = Directory.CreateTempSubdirectory("pytorch-").FullName;
        try
        {
            var specFile = Path.Combine(work, "spec.json");
            File.WriteAllText(specFile, TestModels.Spec.ToJson());
            var onnxFile = Path.Combine(work, "model.onnx");
            Assert.AreEqual(0, Run(Python, $"\"{script}\" \"{onnxFile}\" \"{specFile}\" --seed 7", out var output), output);
            var probe = JsonNode.Parse(output.Trim().Split('\n')[^1])!["probe_weights"]!.AsArray().Select(x => x!.GetValue<double>()).ToArray();

            ModelImport.Import(onnxFile, folder.Path, "pytorch", "1");
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
                Assert.AreEqual(probe[a], weights[a], 1e-5, $"asset {a}");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int Run(string file, string arguments, out string output)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        output = stdout.Result + stderr.Result;
        return process.ExitCode;
    }

}
