using Predictive.Keeper.Configuration;
using Predictive.Keeper.Pass;
using Predictive.Keeper.Store;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Keeper;

/// <summary>Opens the keeper store (leases, decision log) the keeper jobs share with other keepers of the same vaults.</summary>
public interface IKeeperStoreFactory
{
    /// <summary>The store for <paramref name="settings"/>.</summary>
    Task<IKeeperStore> OpenAsync(KeeperSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Where a pass of the vault whose lease is <paramref name="leaseKey"/> keeps its journal and live state, written only
    /// while <paramref name="owner"/> holds that lease; null for the files under keeper.json's store folder (one node).
    /// </summary>
    VaultStateStores? StateStores(string leaseKey, string owner);

    /// <summary>
    /// Takes <paramref name="held"/> over for <paramref name="owner"/> when its holder is an operator node
    /// (<c>operator:&lt;NodeId&gt;</c>) that the cluster has declared dead; false when it is not (or on one node, where
    /// there is no cluster to declare it).
    /// </summary>
    Task<bool> TryTakeOverFromDeadNodeAsync(VaultLease held, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// The operator's choice of keeper store: on <c>Store:Provider=postgres</c> the cluster's database
/// (<see cref="SqlKeeperStore"/>), so every node sees one lease per vault; on SQLite, keeper.json's own store
/// (<see cref="KeeperSettings.StorePath"/>), the one a standalone <c>predictive keeper run</c> on this host opens.
/// The journal and live state follow: on PostgreSQL in the database (<see cref="SqlJournalStore"/>,
/// <see cref="SqlStateDocuments"/>), fenced by the vault's lease, so the node that recovers a pass resumes from what the
/// dead node recorded and a node that lost the lease writes nothing; on SQLite the files beside keeper.json's store.
/// </summary>
internal sealed class OperatorKeeperStoreFactory(OperatorDatabase database, TimeProvider time) : IKeeperStoreFactory
{
    /// <inheritdoc />
    public async Task<IKeeperStore> OpenAsync(KeeperSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return database.Provider == "postgres"
            ? new SqlKeeperStore(database)
            : await SqliteKeeperStore.OpenAsync(settings.StorePath, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public VaultStateStores? StateStores(string leaseKey, string owner)
    {
        if (database.Provider != "postgres")
        {
            return null;
        }

        return FencedVaultStores.For(database, leaseKey, owner, time);
    }

    /// <inheritdoc />
    public async Task<bool> TryTakeOverFromDeadNodeAsync(VaultLease held, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        const string Prefix = "operator:";
        if (database.Provider != "postgres" || !held.Owner.StartsWith(Prefix, StringComparison.Ordinal) || held.Owner == owner)
        {
            return false;
        }

        return await new SqlKeeperStore(database).TryTakeOverFromDeadNodeAsync(held.Vault, held.Owner, held.Owner[Prefix.Length..], owner, duration, now, cancellationToken).ConfigureAwait(false);
    }
}
