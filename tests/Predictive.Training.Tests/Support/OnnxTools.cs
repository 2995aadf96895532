using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;

namespace Predictive.Training.Tests.Support;

/// <summary>Runs models through real ONNX Runtime and through the official ONNX checker (Debian's python3-onnx).</summary>
internal static class OnnxTools
{
    private const string Python = "/usr/bin/python3";

    private const string CheckScript =
        "import sys, onnx\n" +
        "for path in sys.argv[1:]:\n" +
        "    onnx.checker.check_model(onnx.load(path), full_check=True)\n" +
        "    print('ok', path)\n";

    public static float[] Run(InferenceSession session, float[] features, long[] featureShape, float[] prev, long[] prevShape)
    {
        using var x = OrtValue.CreateTensorValueFromMemory(features, featureShape);
        using var p = OrtValue.CreateTensorValueFromMemory(prev, prevShape);
        using var runOptions = new RunOptions();
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal) { ["features"] = x, ["prev_weights"] = p };
        using var results = session.Run(runOptions, inputs, ["weights"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>Runs the checker on the files; Inconclusive when python3-onnx is not installed.</summary>
    public static (int ExitCode, string Output) Check(params string[] paths)
    {
        if (!File.Exists(Python) || RunPython(["-c", "import onnx"]).ExitCode != 0)
        {
            Assert.Inconclusive($"{Python} cannot import onnx; run eng/install-python-deps.sh (installs Debian's python3-onnx).");
        }

        return RunPython(["-c", CheckScript, .. paths]);
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
