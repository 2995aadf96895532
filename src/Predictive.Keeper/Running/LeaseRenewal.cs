using Predictive.Keeper.Store;

namespace Predictive.Keeper.Running;

/// <summary>
/// Keeps a vault's lease that the caller already holds: renews it in the keeper store every third of its length until
/// disposed, so work longer than the lease (a pass waiting for confirmations) keeps the lease and its fenced writes.
/// When a renewal is refused because another driver now holds the lease (it lapsed, or a cluster node took it over),
/// <see cref="Lost"/> is cancelled and renewing stops: the work stops at its next safe point.
/// </summary>
/// <remarks>
/// A renewal that fails for another reason (the database briefly unreachable) is tried again at the next tick: the
/// lease has two more thirds of its length to run, and if it lapses meanwhile the store's fence refuses the writes.
/// </remarks>
public sealed class LeaseRenewal : IAsyncDisposable
{
    private readonly IKeeperStore _store;
    private readonly string _key;
    private readonly string _owner;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;

    private LeaseRenewal(IKeeperStore store, string key, string owner, TimeSpan duration, TimeProvider time)
    {
        _store = store;
        _key = key;
        _owner = owner;
        _duration = duration;
        _time = time;
        Lost = _lost.Token;
        _loop = RenewAsync();
    }

    /// <summary>Cancelled when a renewal found the lease held by another driver.</summary>
    public CancellationToken Lost { get; }

    /// <summary>The lease in force when a renewal was refused (its holder and expiry); null while this owner keeps it.</summary>
    public VaultLease? TakenBy { get; private set; }

    /// <summary>Starts renewing <paramref name="key"/>'s lease, held by <paramref name="owner"/>, every third of <paramref name="duration"/>.</summary>
    /// <param name="store">The keeper store holding the lease.</param>
    /// <param name="key">The lease key (<see cref="KeeperRunner.LeaseKey"/>).</param>
    /// <param name="owner">The holder.</param>
    /// <param name="duration">The lease's length; each renewal extends it to now + this.</param>
    /// <param name="time">The clock.</param>
    public static LeaseRenewal Start(IKeeperStore store, string key, string owner, TimeSpan duration, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromSeconds(3));
        return new LeaseRenewal(store, key, owner, duration, time);
    }

    private async Task RenewAsync()
    {
        try
        {
            while (true)
            {
                await Task.Delay(_duration / 3, _time, _stop.Token).ConfigureAwait(false);
                LeaseResult lease;
                try
                {
                    lease = await _store.TryAcquireLeaseAsync(_key, _owner, _duration, _time.GetUtcNow(), _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    continue; // the next tick tries again; a lapsed lease is refused by the fence meanwhile
                }

                if (!lease.Granted)
                {
                    TakenBy = lease.Lease;
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed: the work is over.
        }
    }

    /// <summary>Stops renewing (the lease itself is the caller's to release or keep).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }
}
