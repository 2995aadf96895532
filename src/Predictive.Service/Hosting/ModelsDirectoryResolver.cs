namespace Predictive.Service.Hosting;

/// <summary>
/// Finds the models directory. <c>dotnet run --project src/Predictive.Service</c> may start with the repository, the
/// project or the build output as content root; a relative path is therefore tried against each start directory and
/// its ancestors, and the first that exists wins. When none exists the path under the content root is used (the
/// registry is then empty and the service not ready).
/// </summary>
internal static class ModelsDirectoryResolver
{
    public static string Resolve(string configured, params string[] starts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configured);
        if (Path.IsPathRooted(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, configured);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.GetFullPath(Path.Combine(starts.Length > 0 ? starts[0] : Directory.GetCurrentDirectory(), configured));
    }
}
