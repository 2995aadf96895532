using Predictive.Keeper.Configuration;
using Predictive.Keeper.Store;

namespace Predictive.Operator.Keeper;

/// <summary>Opens the keeper store (leases, decision log) the keeper jobs share with standalone keepers.</summary>
public interface IKeeperStoreFactory
{
    /// <summary>The store for <paramref name="settings"/>.</summary>
    Task<IKeeperStore> OpenAsync(KeeperSettings settings, CancellationToken cancellationToken);
}

/// <summary>Single-node use: keeper.json's SQLite store (<see cref="KeeperSettings.StorePath"/>), the one <c>predictive keeper run</c> opens.</summary>
internal sealed class SqliteKeeperStoreFactory : IKeeperStoreFactory
{
    /// <inheritdoc />
    public async Task<IKeeperStore> OpenAsync(KeeperSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return await SqliteKeeperStore.OpenAsync(settings.StorePath, cancellationToken).ConfigureAwait(false);
    }
}
