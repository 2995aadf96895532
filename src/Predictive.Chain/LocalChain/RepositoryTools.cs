namespace Predictive.Chain.LocalChain;

/// <summary>Finds the repository's node tooling (eng/chain) above the working directory or the program's directory.</summary>
public static class RepositoryTools
{
    /// <summary>Where the npm anvil package puts its binary, relative to the repository root.</summary>
    public const string AnvilPackageBinary = "eng/chain/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    /// <summary>The contract compiler script, relative to the repository root.</summary>
    public const string CompileScript = "eng/chain/compile.js";

    /// <summary>The anvil binary: <c>ANVIL_PATH</c>, else eng/chain/node_modules above the current or program directory.</summary>
    /// <exception cref="LocalChainException">Not found; the message says to run <c>npm ci --prefix eng/chain</c>.</exception>
    public static string AnvilBinary()
    {
        var overridePath = Environment.GetEnvironmentVariable("ANVIL_PATH");
        if (!string.IsNullOrEmpty(overridePath) && File.Exists(overridePath))
        {
            return overridePath;
        }

        return Find(AnvilPackageBinary) ?? throw new LocalChainException(
            $"anvil was not found ({AnvilPackageBinary} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}). " +
            "Run `npm ci --prefix eng/chain` from the repository root (or set ANVIL_PATH).");
    }

    /// <summary>eng/chain/compile.js.</summary>
    /// <exception cref="LocalChainException">Not found.</exception>
    public static string CompilerScript() => Find(CompileScript) ?? throw new LocalChainException(
        $"{CompileScript} was not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}; run from the repository.");

    private static string? Find(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
