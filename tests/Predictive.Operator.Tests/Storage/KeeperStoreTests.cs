using System.Text.Json;
using Predictive.Keeper.Store;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Storage;

/// <summary>The keeper store in the operator's database, on both providers: leases exclusive per vault, the decision log read back as written.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KeeperStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task AppendDecision_ThenRead_RecordsReadBackAsWrittenPerVaultOldestFirst(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var store = new SqlKeeperStore(database);
        var records = new[]
        {
            Record("alpha", "0x00000000000000000000000000000000000000AA", T0, "traded"),
            Record("beta", "0x00000000000000000000000000000000000000bb", T0.AddSeconds(1), "no-trade"),
            Record("alpha", "0x00000000000000000000000000000000000000AA", T0.AddSeconds(2), "refused") with { GasUsed = 123_456, Notes = ["n"] },
        };
        foreach (var r in records)
        {
            await store.AppendDecisionAsync(r);
        }

        CollectionAssert.AreEqual(new[] { Json(records[0]), Json(records[2]) }, (await store.ReadDecisionsAsync("alpha", 10)).Select(Json).ToArray());
        CollectionAssert.AreEqual(new[] { Json(records[2]) }, (await store.ReadDecisionsAsync("0x00000000000000000000000000000000000000aa", 1)).Select(Json).ToArray(), "by address, any case; the latest one");
        CollectionAssert.AreEqual(records.Select(Json).ToArray(), (await store.ReadDecisionsAsync(null, 10)).Select(Json).ToArray());
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task TryAcquireLease_EightOwnersAtOnce_OneGrantedOthersNameItUntilExpiryOrRelease(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var store = new SqlKeeperStore(database);
        var minute = TimeSpan.FromMinutes(1);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.TryAcquireLeaseAsync("31337:0xaa", $"owner-{i}", minute, T0))));

        var granted = answers.Where(a => a.Granted).ToList();
        Assert.HasCount(1, granted, "exactly one owner drives the vault");
        var holder = granted[0].Lease.Owner;
        Assert.IsTrue(answers.Where(a => !a.Granted).All(a => a.Lease == new VaultLease("31337:0xaa", holder, T0 + minute)), "every refusal names the holder and its expiry");

        var other = holder == "owner-0" ? "owner-1" : "owner-0";
        Assert.IsTrue((await store.TryAcquireLeaseAsync("31337:0xaa", holder, minute, T0.AddSeconds(30))).Granted, "the holder renews");
        Assert.IsFalse((await store.TryAcquireLeaseAsync("31337:0xaa", other, minute, T0.AddSeconds(89))).Granted, "renewed until T0+90s");
        Assert.IsTrue((await store.TryAcquireLeaseAsync("31337:0xbb", other, minute, T0)).Granted, "another vault is another lease");

        await store.ReleaseLeaseAsync("31337:0xaa", other);
        Assert.IsFalse((await store.TryAcquireLeaseAsync("31337:0xaa", other, minute, T0.AddSeconds(89))).Granted, "only the holder's release frees it");
        Assert.IsTrue((await store.TryAcquireLeaseAsync("31337:0xaa", other, minute, T0.AddSeconds(90))).Granted, "an expired lease is free");
        await store.ReleaseLeaseAsync("31337:0xaa", other);
        Assert.IsTrue((await store.TryAcquireLeaseAsync("31337:0xaa", holder, minute, T0.AddSeconds(91))).Granted, "a released lease is free");
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task TryRenewLease_TakenOverThenReleased_RefusedAndNotRecreated(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var store = new SqlKeeperStore(fixture.Database);
        var minute = TimeSpan.FromMinutes(1);
        Assert.IsTrue((await store.TryAcquireLeaseAsync("31337:0xaa", "node-a", minute, T0)).Granted);

        var renewed = await store.TryRenewLeaseAsync("31337:0xaa", "node-a", minute, T0.AddSeconds(30));
        var expired = await store.TryRenewLeaseAsync("31337:0xaa", "node-a", minute, T0.AddSeconds(90));
        Assert.IsTrue((await store.TryAcquireLeaseAsync("31337:0xaa", "node-b", minute, T0.AddSeconds(91))).Granted, "node-a stalled past its lease: node-b takes it");
        var takenOver = await store.TryRenewLeaseAsync("31337:0xaa", "node-a", minute, T0.AddSeconds(92));
        await store.ReleaseLeaseAsync("31337:0xaa", "node-b");
        var released = await store.TryRenewLeaseAsync("31337:0xaa", "node-a", minute, T0.AddSeconds(93));

        Assert.AreEqual(new LeaseRenewalResult(true, new VaultLease("31337:0xaa", "node-a", T0.AddSeconds(90))), renewed);
        Assert.AreEqual(new LeaseRenewalResult(false, new VaultLease("31337:0xaa", "node-a", T0.AddSeconds(90))), expired, "an expired lease is not renewed, even by its owner");
        Assert.AreEqual(new LeaseRenewalResult(false, new VaultLease("31337:0xaa", "node-b", T0.AddSeconds(151))), takenOver, "the refusal names the new holder");
        Assert.AreEqual(new LeaseRenewalResult(false, null), released, "node-b finished and released: node-a's renewal does not recreate the lease");
        Assert.IsEmpty(await store.ReadLeasesAsync());
    }

    private static DecisionRecord Record(string vault, string address, DateTimeOffset at, string outcome) => new()
    {
        Time = at, Vault = vault, VaultAddress = address, Outcome = outcome, Reason = outcome + "-reason", Explanation = "why " + outcome, ModelSha256 = "ab",
    };

    private static string Json(DecisionRecord record) => JsonSerializer.Serialize(record);
}
