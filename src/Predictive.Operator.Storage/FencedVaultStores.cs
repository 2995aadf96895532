using Predictive.Keeper.Pass;

namespace Predictive.Operator.Storage;

/// <summary>
/// A vault's journal and live state in the operator's database, every write fenced by the vault's lease: what any driver
/// of a cluster's vault uses (an operator node's keeper job, a standalone <c>predictive keeper run --postgres</c>), so
/// whichever holds the lease resumes from what the previous holder recorded and a driver that lost it writes nothing.
/// </summary>
public static class FencedVaultStores
{
    /// <summary>The SQL stores of the vault whose lease is <paramref name="leaseKey"/>, written only while <paramref name="owner"/> holds that lease.</summary>
    /// <param name="database">The operator's database.</param>
    /// <param name="leaseKey">The vault's lease key (also the journal's name and the state's scope).</param>
    /// <param name="owner">The lease owner the writes require.</param>
    /// <param name="time">The clock the lease's expiry is compared with.</param>
    public static VaultStateStores For(OperatorDatabase database, string leaseKey, string owner, TimeProvider time)
    {
        var fence = new LeaseFence(leaseKey, owner);
        return new VaultStateStores(new SqlJournalStore(database, leaseKey, fence, time), new SqlStateDocuments(database, leaseKey, fence, time));
    }
}
