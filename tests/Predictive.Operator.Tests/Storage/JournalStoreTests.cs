using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Storage;

/// <summary>
/// The execution journal in the operator's database, on both providers: what one node records, another node opening the
/// same journal replays; a stale node cannot record an intent twice, nor anything once its lease is gone.
/// </summary>
[TestClass]
[TestCategory("Integration")]
public sealed class JournalStoreTests
{
    private static readonly EthAddress From = EthAddress.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly EthAddress To = EthAddress.Parse("0x00000000000000000000000000000000000000bb");

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Open_AnotherNodeRecorded_ReplaysItsEntries(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var first = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a"));
        first.RecordIntent(Intent("swap-1"), From);
        first.RecordSent("swap-1", "0x01");
        first.RecordIntent(Intent("swap-2"), From);
        ExecutionJournal.Open(new SqlJournalStore(database, "vault-b")).RecordIntent(Intent("swap-1"), From);

        var second = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a"));

        Assert.AreEqual(ExecutionStep.Sent, second.Find("swap-1")!.Step);
        CollectionAssert.AreEqual(new[] { "0x01" }, second.Find("swap-1")!.SentHashes.ToArray());
        Assert.AreEqual(ExecutionStep.Intent, second.Find("swap-2")!.Step);
        CollectionAssert.AreEquivalent(new[] { "swap-1", "swap-2" }, second.Entries.Select(e => e.Intent.Id).ToArray(), "vault-b's journal is its own");
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task RecordIntent_StaleNodeRecordsAnIntentAnotherRecorded_RefusedAndNotKept(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        // Both nodes opened the journal before either wrote; the second one's view is stale.
        var a = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a"));
        var b = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a"));
        a.RecordIntent(Intent("swap-1"), From);

        var e = Assert.ThrowsExactly<JournalConflictException>(() => b.RecordIntent(Intent("swap-1"), From));

        StringAssert.Contains(e.Message, "swap-1");
        Assert.IsNull(b.Find("swap-1"), "the refused record is not kept in memory either");
        Assert.HasCount(1, new SqlJournalStore(database, "vault-a").Load());
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Append_FencedWriterLostItsLease_RefusedWhileTheHolderWrites(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        await TestDatabase.HoldLeaseAsync(database, "vault-a", "operator:node-a");
        var a = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a", new LeaseFence("vault-a", "operator:node-a")));
        a.RecordIntent(Intent("swap-1"), From);

        await TestDatabase.HandOverLeaseAsync(database, "vault-a", "operator:node-a", "operator:node-b");
        var b = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a", new LeaseFence("vault-a", "operator:node-b")));

        var e = Assert.ThrowsExactly<JournalConflictException>(() => a.RecordSent("swap-1", "0x01"));
        b.RecordSent("swap-1", "0x02");

        StringAssert.Contains(e.Message, "no longer holds the lease");
        var replay = ExecutionJournal.Open(new SqlJournalStore(database, "vault-a"));
        CollectionAssert.AreEqual(new[] { "0x02" }, replay.Find("swap-1")!.SentHashes.ToArray(), "only the holder's record is in the journal");
    }

    private static TransactionIntent Intent(string id) => new(id, To, [0x01, 0x02], BigInteger.Zero);
}
