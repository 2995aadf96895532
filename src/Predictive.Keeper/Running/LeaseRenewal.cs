using Predictive.Keeper.Store;

namespace Predictive.Keeper.Running;

/// <summary>
/// Keeps a vault's lease that the caller already holds: extends it in the keeper store every third of its length until
/// disposed, so work longer than the lease (a pass waiting for confirmations) keeps the lease and its fenced writes.
/// A renewal only extends a lease the caller still holds unexpired (<see cref="IKeeperStore.TryRenewLeaseAsync"/>); when
/// it is refused (the lease lapsed, another driver took it, or it was taken and released), <see cref="Lost"/> is cancelled
/// and renewing stops for good: the work stops at its next safe point and never gets the lease back.
/// </summary>
/// <remarks>
/// A renewal that fails for another reason (the database briefly unreachable) is counted, reported once per streak of
/// failures, and tried again at the next tick: the lease has two more thirds of its length to run, and if it lapses
/// meanwhile the next renewal that reaches the store is refused, and the store's fence refuses the writes.
/// </remarks>
public sealed class LeaseRenewal : IAsyncDisposable
{
    private readonly IKeeperStore _store;
    private readonly string _key;
    private readonly string _owner;
    private readonly TimeSpan _duration;
    private readonly TimeProvider _time;
    private readonly Action<Exception, int>? _onFailure;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _loop;
    private VaultLease? _takenBy;
    private int _failures;
    private int _isLost;

    private LeaseRenewal(IKeeperStore store, string key, string owner, TimeSpan duration, TimeProvider time, Action<Exception, int>? onFailure)
    {
        _store = store;
        _key = key;
        _owner = owner;
        _duration = duration;
        _time = time;
        _onFailure = onFailure;
        Lost = _lost.Token;
        _loop = RenewAsync();
    }

    /// <summary>Cancelled when a renewal was refused: the caller no longer holds the lease.</summary>
    public CancellationToken Lost { get; }

    /// <summary>Whether a renewal was refused (the lease lapsed, was taken by another driver, or taken and released).</summary>
    public bool IsLost => Volatile.Read(ref _isLost) == 1;

    /// <summary>
    /// The lease in force when a renewal was refused (its holder and expiry); null while this owner keeps it, and null too
    /// when it was lost with nobody holding it (released by a driver that took it over); see <see cref="IsLost"/>.
    /// </summary>
    public VaultLease? TakenBy => Volatile.Read(ref _takenBy);

    /// <summary>How many renewals failed without an answer from the store (the database unreachable); each is retried.</summary>
    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Starts renewing <paramref name="key"/>'s lease, held by <paramref name="owner"/>, every third of <paramref name="duration"/>.</summary>
    /// <param name="store">The keeper store holding the lease.</param>
    /// <param name="key">The lease key (<see cref="KeeperRunner.LeaseKey"/>).</param>
    /// <param name="owner">The holder.</param>
    /// <param name="duration">The lease's length; each renewal extends it to now + this.</param>
    /// <param name="time">The clock.</param>
    /// <param name="onFailure">
    /// Told of the first failed renewal of each streak of failures (the error and the total failures so far), for the log;
    /// the streak ends at the next renewal that reaches the store.
    /// </param>
    public static LeaseRenewal Start(IKeeperStore store, string key, string owner, TimeSpan duration, TimeProvider time, Action<Exception, int>? onFailure = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromSeconds(3));
        return new LeaseRenewal(store, key, owner, duration, time, onFailure);
    }

    private async Task RenewAsync()
    {
        var streak = false;
        try
        {
            while (true)
            {
                await Task.Delay(_duration / 3, _time, _stop.Token).ConfigureAwait(false);
                LeaseRenewalResult lease;
                try
                {
                    lease = await _store.TryRenewLeaseAsync(_key, _owner, _duration, _time.GetUtcNow(), _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The next tick tries again; a lapsed lease is refused by the fence meanwhile, and by the next renewal.
                    var failures = Interlocked.Increment(ref _failures);
                    if (!streak)
                    {
                        streak = true;
                        _onFailure?.Invoke(e, failures);
                    }

                    continue;
                }

                streak = false;
                if (!lease.Renewed)
                {
                    Volatile.Write(ref _takenBy, lease.Lease);
                    Volatile.Write(ref _isLost, 1);
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
