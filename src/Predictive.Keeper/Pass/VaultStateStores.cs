using Predictive.Chain.Transactions;
using Predictive.Core.Rebalancing.Pipeline;

namespace Predictive.Keeper.Pass;

/// <summary>
/// Where a vault's pass keeps what it resumes from: the execution journal (intents, signed transactions, receipts) and
/// the live state documents (pipeline state with the pending plan and snapshot history, the run in progress). Files in
/// the vault's state folder for one node (<see cref="Files"/>); the operator's database for a cluster.
/// </summary>
/// <param name="Journal">The execution journal's store.</param>
/// <param name="Documents">The live state documents.</param>
/// <param name="Directory">The folder the file stores need created before a pass; null when the stores are not files.</param>
public sealed record VaultStateStores(IJournalStore Journal, IStateDocuments Documents, string? Directory = null)
{
    /// <summary>The journal's file name in a vault's state folder.</summary>
    public const string JournalFileName = "keeper.journal.jsonl";

    /// <summary>The file stores in <paramref name="stateDirectory"/>: <see cref="JournalFileName"/> and the state documents beside it.</summary>
    public static VaultStateStores Files(string stateDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateDirectory);
        return new(new FileJournalStore(Path.Combine(stateDirectory, JournalFileName)), new FileStateDocuments(stateDirectory), stateDirectory);
    }

    /// <summary>Creates <see cref="Directory"/> when there is one (the journal file's folder must exist before its first append).</summary>
    public void Prepare()
    {
        if (Directory is not null)
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
    }
}
