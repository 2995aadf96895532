namespace Predictive.Keeper.Store;

/// <summary>
/// Reads the leases a keeper store holds, for monitoring (the dashboard's lease alert): a lease whose expiry has passed
/// while its row is still there was neither renewed nor released, so its holder is stuck in a pass longer than the lease
/// or died without releasing it. Implemented by the keeper stores beside <see cref="IKeeperStore"/>.
/// </summary>
public interface IKeeperLeaseReader
{
    /// <summary>Every lease row, expired or not, by vault key.</summary>
    Task<IReadOnlyList<VaultLease>> ReadLeasesAsync(CancellationToken cancellationToken = default);
}
