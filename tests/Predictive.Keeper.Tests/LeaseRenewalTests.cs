using Microsoft.Extensions.Time.Testing;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;

namespace Predictive.Keeper.Tests;

/// <summary>
/// <see cref="LeaseRenewal"/> on a real SQLite keeper store and a fake clock (a 30 s lease, renewed every 10 s): it only
/// extends a lease its owner still holds, a store that fails to answer is retried, and disposal waits for a renewal in flight.
/// </summary>
[TestClass]
public sealed class LeaseRenewalTests : IDisposable
{
    private const string Key = "31337:0xvault";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "predictive-lease-renewal", Guid.NewGuid().ToString("N"), "keeper.db");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Renewal_StoreFailsTwiceThenAnswers_NotLostFailuresCountedAndReportedOncePerStreak()
    {
        var store = new FlakyStore(await SqliteKeeperStore.OpenAsync(_path), failing: [1, 2, 4]);
        Assert.IsTrue((await store.TryAcquireLeaseAsync(Key, "a", TimeSpan.FromHours(1), _time.GetUtcNow())).Granted);
        var reported = new List<int>();
        await using var renewal = LeaseRenewal.Start(store, Key, "a", Lease, _time, (_, failures) => { lock (reported) { reported.Add(failures); } });

        await TickAsync(store, 1);
        await TickAsync(store, 2);
        Assert.IsFalse(renewal.IsLost, "a store that does not answer does not lose the lease");
        await TickAsync(store, 3);
        var renewedUntil = (await store.Inner.ReadLeasesAsync()).Single().ExpiresAt;
        var renewedAt = store.LastNow;
        await TickAsync(store, 4);
        await WaitAsync(() => renewal.Failures == 3);

        Assert.AreEqual(renewedAt + Lease, renewedUntil, "the third renewal extended the lease to its time + 30 s");
        Assert.IsFalse(renewal.IsLost);
        Assert.IsFalse(renewal.Lost.IsCancellationRequested);
        Assert.AreEqual(3, renewal.Failures);
        CollectionAssert.AreEqual(new[] { 1, 3 }, reported, "one report per streak of failures, with the count so far");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Renewal_LeaseTakenOverMidWork_LostCancelledAndNeverTakenBack(bool releasedByTheTaker)
    {
        var store = new FlakyStore(await SqliteKeeperStore.OpenAsync(_path), failing: []);
        var other = await SqliteKeeperStore.OpenAsync(_path);
        Assert.IsTrue((await store.TryAcquireLeaseAsync(Key, "a", Lease, _time.GetUtcNow())).Granted);
        await using var renewal = LeaseRenewal.Start(store, Key, "a", Lease, _time);
        await TickAsync(store, 1);

        // Another driver takes the lease over (as after a stall past its expiry), and may finish and release it.
        await store.Inner.ReleaseLeaseAsync(Key, "a");
        Assert.IsTrue((await other.TryAcquireLeaseAsync(Key, "b", Lease, _time.GetUtcNow())).Granted);
        if (releasedByTheTaker)
        {
            await other.ReleaseLeaseAsync(Key, "b");
        }

        await TickAsync(store, 2);
        await WaitAsync(() => renewal.Lost.IsCancellationRequested);
        await NoMoreRenewalsAsync(store, 2);

        Assert.IsTrue(renewal.IsLost);
        Assert.AreEqual(releasedByTheTaker ? null : "b", renewal.TakenBy?.Owner);
        var leases = await store.Inner.ReadLeasesAsync();
        Assert.AreEqual(releasedByTheTaker ? 0 : 1, leases.Count, "the refused renewal wrote no lease");
        Assert.IsTrue(leases.All(l => l.Owner == "b"), "a never got the lease back");
    }

    [TestMethod]
    public async Task DisposeAsync_DuringARenewalInFlight_WaitsForItThenRenewsNoMore()
    {
        var store = new FlakyStore(await SqliteKeeperStore.OpenAsync(_path), failing: []) { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        Assert.IsTrue((await store.TryAcquireLeaseAsync(Key, "a", Lease, _time.GetUtcNow())).Granted);
        var renewal = LeaseRenewal.Start(store, Key, "a", Lease, _time);
        await WaitAsync(() => Stepped(store.Calls == 1));

        var disposing = renewal.DisposeAsync().AsTask();
        await Task.Delay(200, TestContext.CancellationToken);
        Assert.IsFalse(disposing.IsCompleted, "disposal waits for the renewal in flight");
        store.Gate.SetResult();
        await disposing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.CancellationToken);
        await NoMoreRenewalsAsync(store, 1);

        Assert.IsFalse(renewal.IsLost);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    /// <summary>
    /// Moves the clock a second at a time until renewal number <paramref name="calls"/> has been answered (stepping, so a
    /// step never lands before the renewal loop has started its next wait).
    /// </summary>
    private Task TickAsync(FlakyStore store, int calls) => WaitAsync(() => Stepped(store.Answered >= calls));

    private bool Stepped(bool done)
    {
        if (!done)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        return done;
    }

    /// <summary>Moves the clock two lease lengths on and checks no renewal was asked for after the first <paramref name="calls"/>.</summary>
    private async Task NoMoreRenewalsAsync(FlakyStore store, int calls)
    {
        for (var i = 0; i < 2 * Lease.TotalSeconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(5, TestContext.CancellationToken);
        }

        Assert.AreEqual(calls, store.Calls, "no renewal once the lease is lost or the renewal disposed");
    }

    private async Task WaitAsync(Func<bool> done)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (!done())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>The real store, whose renewals number <c>failing</c> (1-based) throw as an unreachable database would.</summary>
    private sealed class FlakyStore(SqliteKeeperStore inner, int[] failing) : IKeeperStore
    {
        private int _calls;
        private int _answered;
        private long _lastNow;

        public SqliteKeeperStore Inner => inner;

        public TaskCompletionSource? Gate { get; init; }

        public int Calls => Volatile.Read(ref _calls);

        public int Answered => Volatile.Read(ref _answered);

        public DateTimeOffset LastNow => DateTimeOffset.FromUnixTimeMilliseconds(Interlocked.Read(ref _lastNow));

        public async Task<LeaseRenewalResult> TryRenewLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
        {
            var call = Interlocked.Increment(ref _calls);
            Interlocked.Exchange(ref _lastNow, now.ToUnixTimeMilliseconds());
            try
            {
                if (Gate is not null)
                {
                    await Gate.Task.ConfigureAwait(false);
                }

                return failing.Contains(call)
                    ? throw new IOException($"renewal {call}: the database is unreachable")
                    : await inner.TryRenewLeaseAsync(vault, owner, duration, now, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref _answered);
            }
        }

        public Task<LeaseResult> TryAcquireLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            inner.TryAcquireLeaseAsync(vault, owner, duration, now, cancellationToken);

        public Task ReleaseLeaseAsync(string vault, string owner, CancellationToken cancellationToken = default) => inner.ReleaseLeaseAsync(vault, owner, cancellationToken);

        public Task AppendDecisionAsync(DecisionRecord record, CancellationToken cancellationToken = default) => inner.AppendDecisionAsync(record, cancellationToken);

        public Task<IReadOnlyList<DecisionRecord>> ReadDecisionsAsync(string? vault, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadDecisionsAsync(vault, limit, cancellationToken);
    }
}
