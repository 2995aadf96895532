using System.Diagnostics;

namespace Predictive.Tests.Shared;

/// <summary>
/// The official ONNX checker (Debian's python3-onnx, installed by eng/install-python-deps.sh) as outside validation of
/// the files we write. Linked into every test project that exports ONNX, so there is one copy.
/// </summary>
internal static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";

    private const string CheckScript =
        "import sys, onnx\n" +
        "for path in sys.argv[1:]:\n" +
        "    onnx.checker.check_model(onnx.load(path), full_check=True)\n" +
        "    print('ok', path)\n";

    /// <summary>Ends the test when the checker is not installed (see <see cref="Prerequisites.Missing"/>).</summary>
    public static void RequireModule()
    {
        if (!File.Exists(Python) || RunPython(["-c", "import onnx"]).ExitCode != 0)
        {
            Prerequisites.Missing($"{Python} cannot import onnx", "run eng/install-python-deps.sh (installs Debian's python3-onnx)");
        }
    }

    /// <summary>Runs <c>onnx.checker.check_model(full_check=True)</c> on each file; prints <c>ok &lt;path&gt;</c> per file that passes.</summary>
    public static (int ExitCode, string Output) Check(params string[] paths)
    {
        RequireModule();
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
