using System.Diagnostics;
using Predictive.Onnx.Tests.Support;

namespace Predictive.Onnx.Tests.Graph;

/// <summary>
/// Outside validation: the official ONNX checker (Debian's python3-onnx, installed by
/// eng/install-python-deps.sh) must accept what the writer produces, with full shape inference.
/// </summary>
[TestClass]
public sealed class OnnxCheckerTests
{
    private const string Python = "/usr/bin/python3";

    private const string CheckScript =
        "import sys, onnx\n" +
        "for path in sys.argv[1:]:\n" +
        "    onnx.checker.check_model(onnx.load(path), full_check=True)\n" +
        "    print('ok', path)\n";

    [TestMethod]
    public void CheckModel_WrittenGraphs_PassOfficialChecker()
    {
        RequireOnnxModule();
        var directory = Directory.CreateTempSubdirectory("predictive-onnx-check-").FullName;
        try
        {
            var allocator = Path.Combine(directory, "allocator.onnx");
            var trees = Path.Combine(directory, "trees.onnx");
            SomeModels.Allocator().WithContractMetadata().Build().Save(allocator);
            SomeModels.TwoStumps().Build().Save(trees);

            var (exitCode, output) = RunPython(["-c", CheckScript, allocator, trees]);

            Assert.AreEqual(0, exitCode, output);
            Assert.Contains("ok " + trees, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void RequireOnnxModule()
    {
        if (!File.Exists(Python) || RunPython(["-c", "import onnx"]).ExitCode != 0)
        {
            Assert.Inconclusive($"{Python} cannot import onnx; run eng/install-python-deps.sh (installs Debian's python3-onnx).");
        }
    }

    private static (int ExitCode, string Output) RunPython(string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }
}
