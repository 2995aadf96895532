using Predictive.Onnx.Manifest;

namespace Predictive.Onnx.Registry;

/// <summary>
/// Adds a new version to a models directory atomically: the package is written into a staging folder beside the
/// version (<c>&lt;models&gt;/&lt;name&gt;/.staging-&lt;version&gt;</c>, which <see cref="ModelRegistry"/> never scans),
/// checked (the manifest's SHA-256 against the file), then renamed into place in one step. A process killed halfway
/// leaves only a staging folder, which the next write of the same version removes; a reader never sees half a model.
/// </summary>
public static class ModelVersionWriter
{
    /// <summary>The prefix of staging folders.</summary>
    public const string StagingPrefix = ".staging-";

    /// <summary>
    /// Publishes <c>name/version</c>, calling <paramref name="write"/> with the staging folder to fill. Versions are
    /// immutable: when the version already exists, nothing is written and the existing manifest is returned with
    /// <c>Created = false</c> (so a job that re-runs after a crash writes one version, not two).
    /// </summary>
    /// <exception cref="ArgumentException">The name or version is not a single folder name.</exception>
    /// <exception cref="ModelIntegrityException">The staged package fails its hash check; nothing is published.</exception>
    public static (ModelManifest Manifest, bool Created) Publish(string modelsDirectory, string name, string version, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        ArgumentNullException.ThrowIfNull(write);
        CheckSegment(name, nameof(name));
        CheckSegment(version, nameof(version));
        var final = FinalDirectory(modelsDirectory, name, version);
        if (File.Exists(Path.Combine(final, ModelManifest.FileName)))
        {
            return (ModelPackage.Open(final).Manifest, false);
        }

        var staging = StagingDirectory(modelsDirectory, name, version);
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            var manifest = ModelPackage.Open(staging).Manifest;
            if (manifest.Name != name || manifest.Version != version)
            {
                throw new ArgumentException($"the staged package says {manifest.Name}/{manifest.Version}, not {name}/{version}.", nameof(write));
            }

            Directory.Move(staging, final);
            return (manifest, true);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    /// <summary>
    /// Deletes every staging folder of <paramref name="name"/>: what writers killed mid-write left behind. Call it only
    /// where no other writer of that name can be running (the operator's retrain runs one at a time).
    /// </summary>
    /// <returns>How many folders were removed.</returns>
    public static int RemoveStaleStaging(string modelsDirectory, string name)
    {
        var folder = Path.Combine(modelsDirectory, name);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var stale = Directory.GetDirectories(folder, StagingPrefix + "*");
        foreach (var directory in stale)
        {
            Directory.Delete(directory, recursive: true);
        }

        return stale.Length;
    }

    /// <summary>Where <c>name/version</c> lives once published.</summary>
    public static string FinalDirectory(string modelsDirectory, string name, string version) => Path.Combine(modelsDirectory, name, version);

    /// <summary>Where <c>name/version</c> is staged while it is written.</summary>
    public static string StagingDirectory(string modelsDirectory, string name, string version) => Path.Combine(modelsDirectory, name, StagingPrefix + version);

    private static void CheckSegment(string value, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        if (value.IndexOfAny(['/', '\\']) >= 0 || value.StartsWith('.') || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{value}' must be a single folder name that does not start with a dot.", parameter);
        }
    }
}
