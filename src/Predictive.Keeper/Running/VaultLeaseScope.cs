using Predictive.Keeper.Store;

namespace Predictive.Keeper.Running;

/// <summary>
/// A vault's lease held for one piece of work by a driver that is not the long-running keeper (<c>predictive
/// rebalance</c>, one pass): taken in the keeper store (waiting up to a limit while another driver holds it), renewed every
/// third of its length while the work runs, released when disposed.
/// </summary>
public sealed class VaultLeaseScope : IAsyncDisposable
{
    private readonly IKeeperStore _store;
    private readonly LeaseRenewal _renewal;

    private VaultLeaseScope(IKeeperStore store, string key, string owner, TimeSpan duration, TimeProvider time, Action<Exception, int>? onRenewalFailure)
    {
        _store = store;
        Key = key;
        Owner = owner;
        _renewal = LeaseRenewal.Start(store, key, owner, duration, time, onRenewalFailure);
    }

    /// <summary>The lease's key (chain id and vault address, <see cref="KeeperRunner.LeaseKey"/>).</summary>
    public string Key { get; }

    /// <summary>The holder's id.</summary>
    public string Owner { get; }

    /// <summary>Whether a renewal was refused: the lease lapsed or another driver took it; the work must stop.</summary>
    public bool IsLost => _renewal.IsLost;

    /// <summary>Cancelled when a renewal is refused; link it into the work's token so the work stops at its next safe point.</summary>
    public CancellationToken Lost => _renewal.Lost;

    /// <summary>The driver holding the lease when it was lost (null while held, or when nobody holds it).</summary>
    public VaultLease? TakenBy => _renewal.TakenBy;

    /// <summary>
    /// Takes <paramref name="key"/>'s lease for <paramref name="owner"/>; while another driver holds it, tries again every
    /// second until <paramref name="wait"/> has passed (zero: one try).
    /// </summary>
    /// <param name="store">The keeper store holding the leases.</param>
    /// <param name="key">The lease key.</param>
    /// <param name="vault">The vault's name, for the message.</param>
    /// <param name="owner">This driver's id.</param>
    /// <param name="duration">The lease's length without renewal.</param>
    /// <param name="wait">How long to wait for a held lease.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="onRenewalFailure">Told of the first failed renewal of each streak (see <see cref="LeaseRenewal.Start"/>).</param>
    /// <exception cref="LeaseHeldException">Another driver still holds it after <paramref name="wait"/>.</exception>
    public static async Task<VaultLeaseScope> AcquireAsync(
        IKeeperStore store, string key, string vault, string owner, TimeSpan duration, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken, Action<Exception, int>? onRenewalFailure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromSeconds(3));
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var lease = await store.TryAcquireLeaseAsync(key, owner, duration, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (lease.Granted)
            {
                return new VaultLeaseScope(store, key, owner, duration, time, onRenewalFailure);
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new LeaseHeldException(lease.Lease, vault, wait > TimeSpan.Zero ? $"waited {wait.TotalSeconds:0} s for it; this run exits" : "this run exits");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops renewing and releases the lease.</summary>
    public async ValueTask DisposeAsync()
    {
        await _renewal.DisposeAsync().ConfigureAwait(false);
        await _store.ReleaseLeaseAsync(Key, Owner, CancellationToken.None).ConfigureAwait(false);
    }
}
