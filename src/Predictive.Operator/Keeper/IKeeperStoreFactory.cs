using Predictive.Keeper.Configuration;
using Predictive.Keeper.Store;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Keeper;

/// <summary>Opens the keeper store (leases, decision log) the keeper jobs share with other keepers of the same vaults.</summary>
public interface IKeeperStoreFactory
{
    /// <summary>The store for <paramref name="settings"/>.</summary>
    Task<IKeeperStore> OpenAsync(KeeperSettings settings, CancellationToken cancellationToken);
}

/// <summary>
/// The operator's choice of keeper store: on <c>Store:Provider=postgres</c> the cluster's database
/// (<see cref="SqlKeeperStore"/>), so every node sees one lease per vault; on SQLite, keeper.json's own store
/// (<see cref="KeeperSettings.StorePath"/>), the one a standalone <c>predictive keeper run</c> on this host opens.
/// </summary>
internal sealed class OperatorKeeperStoreFactory(OperatorDatabase database) : IKeeperStoreFactory
{
    /// <inheritdoc />
    public async Task<IKeeperStore> OpenAsync(KeeperSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return database.Provider == "postgres"
            ? new SqlKeeperStore(database)
            : await SqliteKeeperStore.OpenAsync(settings.StorePath, cancellationToken).ConfigureAwait(false);
    }
}
