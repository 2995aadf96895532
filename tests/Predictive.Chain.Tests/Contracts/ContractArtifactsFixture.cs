using System.Diagnostics;
using Predictive.Chain.Contracts;

namespace Predictive.Chain.Tests.Contracts;

/// <summary>
/// Generates the contract artifacts once per test run with eng/chain/compile.js (solc-js from eng/chain/node_modules)
/// into the test output directory (bin/, git-ignored). The script skips compiling when the sources' hash is unchanged.
/// </summary>
internal static class ContractArtifactsFixture
{
    private static readonly Lazy<ContractArtifacts> Artifacts = new(Generate);

    public static ContractArtifacts Get() => Artifacts.Value;

    private static ContractArtifacts Generate()
    {
        var script = FindScript() ?? throw new AssertFailedException(
            $"eng/chain/compile.js was not found above {AppContext.BaseDirectory}.");
        var output = Path.Combine(AppContext.BaseDirectory, "contracts");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--out", output },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new AssertFailedException("Could not start node.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new AssertFailedException("compile.js did not finish within 5 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new AssertFailedException($"compile.js failed ({process.ExitCode}). Run `npm ci --prefix eng/chain`.\n{stdout}\n{stderr.Result}");
        }

        return ContractArtifacts.Open(output);
    }

    private static string? FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "eng", "chain", "compile.js");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
