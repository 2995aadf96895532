using System.Text;

namespace Predictive.Chain.Transactions;

/// <summary>Replaces a file's contents all at once: write a temporary sibling, flush it to disk, rename it over the target.</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = Encoding.UTF8.GetBytes(contents);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        // rename(2) within one directory is atomic on POSIX file systems and File.Move(overwrite) uses it.
        File.Move(temporary, path, overwrite: true);
    }
}
