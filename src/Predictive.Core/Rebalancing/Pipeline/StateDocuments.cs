using System.Text;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>
/// Where a keeper's live state is kept, as named text documents (the pipeline state with its pending plan and snapshot
/// history, the rebalance run in progress): files in the vault's state directory for one node
/// (<see cref="FileStateDocuments"/>), or rows in a database a cluster shares (the operator's SQL store).
/// </summary>
/// <remarks>Each <see cref="Write"/> replaces the whole document at once and is durable when it returns: a reader (after a crash, on any node) sees the old document or the new one, never a mix.</remarks>
public interface IStateDocuments
{
    /// <summary>Where <paramref name="key"/> lives, for messages (a path, or a table and key).</summary>
    string Describe(string key);

    /// <summary>The document <paramref name="key"/>, or null when there is none.</summary>
    string? Read(string key);

    /// <summary>Replaces the document <paramref name="key"/> with <paramref name="content"/>, atomically and durably.</summary>
    void Write(string key, string content);

    /// <summary>Removes the document <paramref name="key"/> (nothing when there is none).</summary>
    void Delete(string key);
}

/// <summary>State documents as files in one directory: each written to a temporary sibling, flushed, renamed over the old one.</summary>
/// <param name="directory">The directory (created on the first write).</param>
public sealed class FileStateDocuments(string directory) : IStateDocuments
{
    /// <summary>The directory.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <inheritdoc />
    public string Describe(string key) => PathOf(key);

    /// <inheritdoc />
    public string? Read(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <inheritdoc />
    public void Write(string key, string content) => WriteAtomically(PathOf(key), content);

    /// <inheritdoc />
    public void Delete(string key) => File.Delete(PathOf(key));

    /// <summary>Replaces <paramref name="path"/>'s contents all at once: a temporary sibling, flushed to disk, renamed over it.</summary>
    public static void WriteAtomically(string path, string contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        System.IO.Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(contents));
            stream.Flush(flushToDisk: true);
        }

        // rename(2) within one directory is atomic on POSIX file systems and File.Move(overwrite) uses it.
        File.Move(temporary, path, overwrite: true);
    }

    private string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        if (key.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ArgumentException($"state document key '{key}' must be a file name, not a path.", nameof(key));
        }

        return Path.Combine(Directory, key);
    }
}
