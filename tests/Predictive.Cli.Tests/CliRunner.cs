namespace Predictive.Cli.Tests;

/// <summary>Runs the command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, TimeProvider.System);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The repository root (the folder holding Predictive.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Predictive.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Predictive.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The shared real data folder (../shared/data beside the repository), or null when absent.</summary>
    public static string? SharedData(string file)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", file));
        return File.Exists(path) ? path : null;
    }
}
