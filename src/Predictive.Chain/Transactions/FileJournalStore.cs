using System.Text;

namespace Predictive.Chain.Transactions;

/// <summary>
/// The journal as an append-only JSON-lines file on this node's disk, each record flushed to disk before
/// <see cref="Append"/> returns. A torn last line from a crash mid-write is dropped on <see cref="Load"/>: it was never
/// acknowledged. One process per file.
/// </summary>
public sealed class FileJournalStore : IJournalStore
{
    /// <summary>Uses the file at <paramref name="path"/> (created on the first append).</summary>
    public FileJournalStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Name = Path.GetFullPath(path);
    }

    /// <summary>The file's full path.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Load()
    {
        if (!File.Exists(Name))
        {
            return [];
        }

        var text = File.ReadAllText(Name);
        var complete = text.LastIndexOf('\n') + 1;
        if (complete < text.Length)
        {
            using var stream = new FileStream(Name, FileMode.Open, FileAccess.Write);
            stream.SetLength(Encoding.UTF8.GetByteCount(text.AsSpan(0, complete)));
            stream.Flush(flushToDisk: true);
        }

        return text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <inheritdoc />
    public void Append(string intentId, ExecutionStep kind, string record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var stream = new FileStream(Name, FileMode.Append, FileAccess.Write, FileShare.Read);
        stream.Write(Encoding.UTF8.GetBytes(record + "\n"));
        stream.Flush(flushToDisk: true);
    }
}
