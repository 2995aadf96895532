using System.Diagnostics;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Support;

/// <summary>Runs a program, or the built <c>predictive</c> command line, as a separate process.</summary>
internal static class CliProcess
{
    /// <summary>The CLI assembly built beside this test project, in the same configuration.</summary>
    public static string PredictiveDll
    {
        get
        {
            // bin/<Configuration>/net10.0/ → the configuration this test binary was built in.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var dll = RepositoryPaths.Combine("src", "Predictive.Cli", "bin", configuration, "net10.0", "predictive.dll");
            Assert.IsTrue(File.Exists(dll), $"{dll} is missing; build src/Predictive.Cli in {configuration}.");
            return dll;
        }
    }

    /// <summary>Runs <c>predictive</c> with <paramref name="args"/>.</summary>
    public static Task<(int ExitCode, string Stdout, string Stderr)> PredictiveAsync(CancellationToken cancellationToken, params string[] args) =>
        RunAsync("dotnet", [PredictiveDll, .. args], cancellationToken);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> and waits for it.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
