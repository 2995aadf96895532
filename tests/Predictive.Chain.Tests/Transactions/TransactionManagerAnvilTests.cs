using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Transactions;

[TestClass]
public sealed class TransactionManagerAnvilTests : ChainKitTests
{
    [TestMethod]
    public async Task ExecuteAsync_Transfer_ConfirmedWithGasMarginAndJournaled()
    {
        var key = await Kit.FundedKeyAsync(TestContext.TestName!);
        using var manager = Kit.Manager("m", key);
        var recipient = ChainTestKit.Key(TestContext.TestName + ":to").Address;

        var result = await manager.ExecuteAsync(new TransactionIntent("pay-1", recipient, [], 777));

        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        Assert.AreEqual(new BigInteger(777), await Client.GetBalanceAsync(recipient));
        Assert.AreEqual(new BigInteger(25_200), result.Entry.Attempts[0].GasLimit, "21,000 estimated + 20%");
        var steps = File.ReadAllLines(manager.Journal.FilePath).Select(l => l.Split("\"Step\":\"")[1].Split('"')[0]).ToList();
        CollectionAssert.AreEqual(new[] { "Intent", "Signed", "Sent", "Confirmed" }, steps);
    }

    [TestMethod]
    public async Task ExecuteAsync_FeeCapBelowBaseFee_RefusesAndSendsNothing()
    {
        var key = await Kit.FundedKeyAsync(TestContext.TestName!);
        using var manager = Kit.Manager("m", key, o => o.MaxFeePerGasCapGwei = 0.000000001m);
        var before = await Client.GetTransactionCountAsync(key.Address);

        var e = await Assert.ThrowsExactlyAsync<FeeCapExceededException>(() => manager.ExecuteAsync(new TransactionIntent("pay", EthAddress.Zero, [], 1)));

        Assert.Contains("above the configured cap of 1 wei", e.Message);
        Assert.AreEqual(before, await Client.GetTransactionCountAsync(key.Address));
        Assert.AreEqual(ExecutionStep.Intent, manager.Journal.Find("pay")!.Step);
    }

    [TestMethod]
    [DataRow(ExecutionCheckpoint.IntentRecorded)]
    [DataRow(ExecutionCheckpoint.Signed)]
    [DataRow(ExecutionCheckpoint.Broadcast)]
    [DataRow(ExecutionCheckpoint.Sent)]
    public async Task ResumeAsync_CrashAfterCheckpoint_MinesExactlyOneTransactionForTheIntent(ExecutionCheckpoint crashAt)
    {
        var key = await Kit.FundedKeyAsync(TestContext.TestName + crashAt);
        var recipient = ChainTestKit.Key(TestContext.TestName + crashAt + ":to").Address;
        var intent = new TransactionIntent("pay-once", recipient, [], 1_000);
        var startNonce = await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest);
        using (var crashing = Kit.Manager("m", key, checkpoint: (c, _) => c == crashAt ? throw new SimulatedCrashException(c) : ValueTask.CompletedTask))
        {
            await Assert.ThrowsExactlyAsync<SimulatedCrashException>(() => crashing.ExecuteAsync(intent));
        }

        var signedBeforeRestart = ExecutionJournal.Open(Path.Combine(Kit.Directory, "m.journal.jsonl")).Find(intent.Id)!.Attempts;
        using var restarted = Kit.Manager("m", key);

        var results = await restarted.ResumeAsync();
        var again = await restarted.ExecuteAsync(intent);

        Assert.HasCount(1, results);
        Assert.IsTrue(results[0].Succeeded, results[0].Entry.FailureReason);
        Assert.AreEqual(new BigInteger(1_000), await Client.GetBalanceAsync(recipient), "paid exactly once");
        Assert.AreEqual(startNonce + 1, await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest), "exactly one transaction mined");
        Assert.AreEqual(results[0].Entry.MinedHash, again.Entry.MinedHash, "submitting a finished intent again sends nothing");
        if (signedBeforeRestart.Count > 0)
        {
            Assert.HasCount(1, results[0].Entry.Attempts, "the journaled raw transaction is re-broadcast, not re-signed");
            Assert.AreEqual(signedBeforeRestart[0].Hash, results[0].Entry.MinedHash);
        }
    }

    /// <summary>
    /// The node's answer to the re-broadcast is "nonce too low" and its nonce count has moved past the journaled nonce,
    /// but its receipt index lags (the first receipt lookups answer null). Concluding at once that another transaction
    /// took the nonce would sign the intent again and pay twice.
    /// </summary>
    [TestMethod]
    public async Task ResumeAsync_MinedButReceiptNotYetReadable_WaitsForTheReceiptAndPaysOnce()
    {
        var (key, recipient) = await FundedPairAsync();
        var intent = new TransactionIntent("pay-once", recipient, [], 1_000);
        var startNonce = await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest);
        using (var crashing = Kit.Manager("m", key, checkpoint: (c, _) => c == ExecutionCheckpoint.Broadcast ? throw new SimulatedCrashException(c) : ValueTask.CompletedTask))
        {
            await Assert.ThrowsExactlyAsync<SimulatedCrashException>(() => crashing.ExecuteAsync(intent));
        }

        using var lagging = new LaggingReceiptsHandler(lagging: 3);
        using var laggingClient = new EvmRpcClient(lagging, new RpcClientOptions { Endpoint = SharedAnvil.Endpoint, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2) });
        using var restarted = Kit.Manager("m", key, client: laggingClient);

        var result = (await restarted.ResumeAsync()).Single();

        Assert.AreEqual(3, lagging.Served, "the receipt lookups did lag");
        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        Assert.HasCount(1, result.Entry.Attempts, "not signed again");
        Assert.AreEqual(startNonce + 1, await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest), "exactly one transaction mined");
        Assert.AreEqual(new BigInteger(1_000), await Client.GetBalanceAsync(recipient), "paid exactly once");
    }

    [TestMethod]
    public async Task ResumeAsync_SignedNonceTakenByAnotherTransaction_ResignsWithNextNonceAndPaysOnce()
    {
        var key = await Kit.FundedKeyAsync(TestContext.TestName!);
        var recipient = ChainTestKit.Key(TestContext.TestName + ":to").Address;
        var intent = new TransactionIntent("pay", recipient, [], 5);
        using (var crashing = Kit.Manager("m", key, checkpoint: (c, _) => c == ExecutionCheckpoint.Signed ? throw new SimulatedCrashException(c) : ValueTask.CompletedTask))
        {
            await Assert.ThrowsExactlyAsync<SimulatedCrashException>(() => crashing.ExecuteAsync(intent));
        }

        // Another wallet with the same key uses the nonce the journaled transaction holds.
        using (var other = Kit.Manager("other-process", key))
        {
            Assert.IsTrue((await other.ExecuteAsync(new TransactionIntent("foreign", EthAddress.Zero, [], 1))).Succeeded);
        }

        using var restarted = Kit.Manager("m", key);
        var result = (await restarted.ResumeAsync()).Single();

        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        Assert.HasCount(2, result.Entry.Attempts);
        Assert.AreEqual(result.Entry.Attempts[0].Nonce + 1, result.Entry.Attempts[1].Nonce);
        Assert.AreEqual(new BigInteger(5), await Client.GetBalanceAsync(recipient));
    }

    [TestMethod]
    public async Task SubmitAsync_EarlierIntentSignedButNeverBroadcast_TakesTheNextNonceAndBothPayOnce()
    {
        var key = await Kit.FundedKeyAsync(TestContext.TestName!);
        var recipient = ChainTestKit.Key(TestContext.TestName + ":to").Address;
        var start = await Client.GetTransactionCountAsync(key.Address, BlockTag.Pending);
        using (var crashing = Kit.Manager("m", key, checkpoint: (c, _) => c == ExecutionCheckpoint.Signed ? throw new SimulatedCrashException(c) : ValueTask.CompletedTask))
        {
            await Assert.ThrowsExactlyAsync<SimulatedCrashException>(() => crashing.ExecuteAsync(new TransactionIntent("first", recipient, [], 3)));
        }

        using var restarted = Kit.Manager("m", key);
        await restarted.SubmitAsync(new TransactionIntent("second", recipient, [], 4));
        var results = await restarted.ResumeAsync();
        var (first, second) = (results.Single(r => r.Entry.Intent.Id == "first"), results.Single(r => r.Entry.Intent.Id == "second"));

        Assert.AreEqual(start, await Client.GetTransactionCountAsync(key.Address, BlockTag.Pending) - 2, "two transactions mined");
        Assert.AreEqual(start, first.Entry.Attempts.Single().Nonce, "the journaled bytes keep their nonce");
        Assert.AreEqual(start + 1, second.Entry.Attempts.Single().Nonce, "the node's pending count does not know the journaled nonce; the journal does");
        Assert.IsTrue(first.Succeeded && second.Succeeded);
        Assert.AreEqual(new BigInteger(7), await Client.GetBalanceAsync(recipient));
    }

    /// <summary>
    /// Defect 1 of issue 12: the node refuses the higher-fee replacement ("insufficient funds": the account holds exactly
    /// what the pending original may cost), but the original can still be mined, so the intent must stay open and end
    /// Confirmed with the original's hash; marking it Failed would let a later run trade again.
    /// </summary>
    [TestMethod]
    public async Task WaitAsync_ReplacementRejectedWhileOriginalPending_KeepsIntentOpenAndConfirmsTheOriginal()
    {
        var (key, recipient) = await FundedPairAsync();
        var replacementRefused = new TaskCompletionSource();
        var signatures = 0;
        using var manager = ReplacingManager(
            key, async (c, e) =>
            {
                if (c == ExecutionCheckpoint.Signed && Interlocked.Increment(ref signatures) == 2)
                {
                    var original = e.Attempts[0];
                    await Kit.SetBalanceAsync(key.Address, (original.GasLimit * original.Fees.MaxFeePerGas) + 9);
                }
                else if (c == ExecutionCheckpoint.Rejected)
                {
                    replacementRefused.TrySetResult();
                }
            });
        await Kit.SetAutomineAsync(false);
        try
        {
            await manager.SubmitAsync(new TransactionIntent("pay", recipient, [], 9));
            var waiting = manager.WaitAsync("pay");
            await Task.WhenAny(waiting, replacementRefused.Task).WaitAsync(TimeSpan.FromMinutes(1));
            Assert.IsFalse(waiting.IsCompleted, "the intent is still open after the node refused its replacement");
            await Kit.MineAsync();
            var result = await waiting;

            Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
            Assert.AreEqual(result.Entry.Attempts[0].Hash, result.Entry.MinedHash, "the original, not the refused replacement, was mined");
            Assert.AreEqual(new BigInteger(9), await Client.GetBalanceAsync(recipient));
        }
        finally
        {
            await Kit.SetAutomineAsync(true);
        }
    }

    [TestMethod]
    public async Task WaitAsync_TransactionStuckInPool_ReplacedUnderSameNonceWithHigherFees()
    {
        var (key, recipient) = await FundedPairAsync();
        var replaced = new TaskCompletionSource();
        var signatures = 0;
        using var manager = ReplacingManager(
            key, (c, _) =>
            {
                if (c == ExecutionCheckpoint.Sent && Interlocked.Increment(ref signatures) == 2)
                {
                    replaced.TrySetResult();
                }

                return ValueTask.CompletedTask;
            });
        await Kit.SetAutomineAsync(false);
        try
        {
            await manager.SubmitAsync(new TransactionIntent("pay", recipient, [], 9));
            var waiting = manager.WaitAsync("pay");
            await replaced.Task.WaitAsync(TimeSpan.FromMinutes(1));
            await Kit.MineAsync();
            var result = await waiting;

            var attempts = result.Entry.Attempts;
            Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
            Assert.HasCount(2, attempts);
            Assert.AreEqual(attempts[0].Nonce, attempts[1].Nonce);
            Assert.IsGreaterThanOrEqualTo(attempts[0].Fees.MaxPriorityFeePerGas * 110 / 100, attempts[1].Fees.MaxPriorityFeePerGas);
            Assert.IsGreaterThanOrEqualTo(attempts[0].Fees.MaxFeePerGas * 110 / 100, attempts[1].Fees.MaxFeePerGas);
            Assert.AreEqual(attempts[1].Hash, result.Entry.MinedHash);
            Assert.IsNull(await Client.GetTransactionReceiptAsync(attempts[0].Hash));
            Assert.AreEqual(new BigInteger(9), await Client.GetBalanceAsync(recipient));
        }
        finally
        {
            await Kit.SetAutomineAsync(true);
        }
    }

    private async Task<(PrivateKey Key, EthAddress Recipient)> FundedPairAsync() =>
        (await Kit.FundedKeyAsync(TestContext.TestName!), ChainTestKit.Key(TestContext.TestName + ":to").Address);

    /// <summary>A manager that replaces a transaction not mined within 300 ms.</summary>
    private TransactionManager ReplacingManager(PrivateKey key, Func<ExecutionCheckpoint, JournalEntry, ValueTask> checkpoint) =>
        Kit.Manager("m", key, o => o.StuckAfter = TimeSpan.FromMilliseconds(300), checkpoint: checkpoint);
}
