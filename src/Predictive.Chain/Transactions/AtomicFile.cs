namespace Predictive.Chain.Transactions;

/// <summary>Replaces a file's contents all at once (see <see cref="Core.Rebalancing.Pipeline.FileStateDocuments.WriteAtomically"/>).</summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string contents) => Core.Rebalancing.Pipeline.FileStateDocuments.WriteAtomically(path, contents);
}
