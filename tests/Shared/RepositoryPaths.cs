namespace Predictive.Tests.Shared;

/// <summary>
/// Where the repository and the shared real data are, seen from a test or benchmark binary: the first folder above it
/// that holds Predictive.sln is the root, and the real data lives in ../shared/data beside it (never in the repository).
/// Linked into every test project that needs either, so there is one copy.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the binary holds Predictive.sln.</exception>
    public static string Root()
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

    /// <summary>A path inside the repository.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root(), .. parts]);

    /// <summary>The shared real data directory, ../shared/data beside the repository (which may not exist).</summary>
    public static string SharedDataDirectory() => Path.GetFullPath(Path.Combine(Root(), "..", "shared", "data"));

    /// <summary>A file of the shared real data (../shared/data beside the repository), or null when it is absent.</summary>
    public static string? SharedData(string file)
    {
        var path = Path.Combine(SharedDataDirectory(), file);
        return File.Exists(path) ? path : null;
    }
}
