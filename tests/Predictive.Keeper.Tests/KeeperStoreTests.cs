using Predictive.Keeper.Store;

namespace Predictive.Keeper.Tests;

[TestClass]
public sealed class KeeperStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "predictive-keeper-store", Guid.NewGuid().ToString("N"), "keeper.db");

    [TestMethod]
    public async Task TryAcquireLeaseAsync_HeldUntilItExpires_RefusedToOthersThenGranted()
    {
        // Two store objects over one file: two keeper processes on one host.
        var a = await SqliteKeeperStore.OpenAsync(_path);
        var b = await SqliteKeeperStore.OpenAsync(_path);

        var first = await a.TryAcquireLeaseAsync("31337:0xvault", "a", TimeSpan.FromSeconds(60), T0);
        var refused = await b.TryAcquireLeaseAsync("31337:0xvault", "b", TimeSpan.FromSeconds(60), T0.AddSeconds(59));
        var renewed = await a.TryAcquireLeaseAsync("31337:0xvault", "a", TimeSpan.FromSeconds(60), T0.AddSeconds(30));
        var stillRefused = await b.TryAcquireLeaseAsync("31337:0xvault", "b", TimeSpan.FromSeconds(60), T0.AddSeconds(89));
        var afterExpiry = await b.TryAcquireLeaseAsync("31337:0xvault", "b", TimeSpan.FromSeconds(60), T0.AddSeconds(91));

        Assert.IsTrue(first.Granted);
        Assert.IsFalse(refused.Granted);
        Assert.AreEqual("a", refused.Lease.Owner);
        Assert.AreEqual(T0.AddSeconds(60), refused.Lease.ExpiresAt);
        Assert.IsTrue(renewed.Granted);
        Assert.IsFalse(stillRefused.Granted, "the renewal moved the expiry to T0+90 s");
        Assert.IsTrue(afterExpiry.Granted);
        Assert.AreEqual("b", afterExpiry.Lease.Owner);
    }

    [TestMethod]
    public async Task TryRenewLeaseAsync_OnlyTheHoldersUnexpiredLease_ExtendedNeverTakenOrRecreated()
    {
        var a = await SqliteKeeperStore.OpenAsync(_path);
        var b = await SqliteKeeperStore.OpenAsync(_path);
        Assert.IsTrue((await a.TryAcquireLeaseAsync("v", "a", TimeSpan.FromSeconds(60), T0)).Granted);

        var renewed = await a.TryRenewLeaseAsync("v", "a", TimeSpan.FromSeconds(60), T0.AddSeconds(30));
        var byOther = await b.TryRenewLeaseAsync("v", "b", TimeSpan.FromSeconds(60), T0.AddSeconds(40));
        var expired = await a.TryRenewLeaseAsync("v", "a", TimeSpan.FromSeconds(60), T0.AddSeconds(90));
        Assert.IsTrue((await b.TryAcquireLeaseAsync("v", "b", TimeSpan.FromSeconds(60), T0.AddSeconds(91))).Granted);
        var takenOver = await a.TryRenewLeaseAsync("v", "a", TimeSpan.FromSeconds(60), T0.AddSeconds(92));
        await b.ReleaseLeaseAsync("v", "b");
        var released = await a.TryRenewLeaseAsync("v", "a", TimeSpan.FromSeconds(60), T0.AddSeconds(93));

        Assert.AreEqual(new LeaseRenewalResult(true, new VaultLease("v", "a", T0.AddSeconds(90))), renewed);
        Assert.AreEqual(new LeaseRenewalResult(false, new VaultLease("v", "a", T0.AddSeconds(90))), byOther, "another owner cannot renew the holder's lease");
        Assert.AreEqual(new LeaseRenewalResult(false, new VaultLease("v", "a", T0.AddSeconds(90))), expired, "an expired lease is not renewed, even by its owner");
        Assert.AreEqual(new LeaseRenewalResult(false, new VaultLease("v", "b", T0.AddSeconds(151))), takenOver);
        Assert.AreEqual(new LeaseRenewalResult(false, null), released, "a released lease is not recreated");
        Assert.IsEmpty(await a.ReadLeasesAsync());
    }

    [TestMethod]
    public async Task ReleaseLeaseAsync_ByTheHolder_FreesTheVaultAndByAnotherDoesNothing()
    {
        var store = await SqliteKeeperStore.OpenAsync(_path);
        await store.TryAcquireLeaseAsync("v", "a", TimeSpan.FromHours(1), T0);

        await store.ReleaseLeaseAsync("v", "b");
        var whileHeld = await store.TryAcquireLeaseAsync("v", "b", TimeSpan.FromHours(1), T0);
        await store.ReleaseLeaseAsync("v", "a");
        var afterRelease = await store.TryAcquireLeaseAsync("v", "b", TimeSpan.FromHours(1), T0);

        Assert.IsFalse(whileHeld.Granted);
        Assert.IsTrue(afterRelease.Granted);
    }

    [TestMethod]
    public async Task ReadDecisionsAsync_ByNameOrAddress_OnlyThatVaultOldestFirst()
    {
        var store = await SqliteKeeperStore.OpenAsync(_path);
        for (var i = 0; i < 3; i++)
        {
            foreach (var (name, address) in new[] { ("a", "0xAA"), ("b", "0xBB") })
            {
                await store.AppendDecisionAsync(new DecisionRecord
                {
                    Time = T0.AddMinutes(i), Vault = name, VaultAddress = address, Outcome = "no-trade", Reason = $"r{i}", Explanation = "x",
                });
            }
        }

        var byName = await store.ReadDecisionsAsync("a", 2);
        var byAddress = await new[] { await SqliteKeeperStore.OpenAsync(_path) }[0].ReadDecisionsAsync("0xbb", 10);

        CollectionAssert.AreEqual(new[] { "r1", "r2" }, byName.Select(r => r.Reason).ToArray(), "the latest two, oldest first");
        Assert.IsTrue(byName.All(r => r.Vault == "a"));
        Assert.HasCount(3, byAddress);
        Assert.IsTrue(byAddress.All(r => r.Vault == "b"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }
}
