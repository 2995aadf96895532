using System.Diagnostics;
using Predictive.Chain.Contracts;

namespace Predictive.Chain.LocalChain;

/// <summary>Runs eng/chain/compile.js (solc-js) into a directory; the script skips work when the sources are unchanged.</summary>
public static class ContractCompiler
{
    /// <summary>The default artifact cache: the user's local data folder, so every <c>chain up</c> reuses one compilation.</summary>
    public static string DefaultCacheDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "predictive", "contracts");

    /// <summary>Compiles (or reuses) the artifacts in <paramref name="outputDirectory"/> and opens them.</summary>
    /// <exception cref="LocalChainException">node or the script failed.</exception>
    public static async Task<ContractArtifacts> CompileAsync(string outputDirectory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var script = RepositoryTools.CompilerScript();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--out", outputDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new LocalChainException("Could not start node.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LocalChainException("node was not found on PATH; install Node.js and run `npm ci --prefix eng/chain`.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new LocalChainException(
                    $"{RepositoryTools.CompileScript} failed with exit code {process.ExitCode}; run `npm ci --prefix eng/chain`.\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
            }
        }

        return ContractArtifacts.Open(outputDirectory);
    }
}
