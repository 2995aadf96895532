using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Transactions;

/// <summary>
/// Confirmations and reorganizations on anvil: <c>evm_snapshot</c> before the trade, <c>evm_revert</c> to take the
/// block that mined it out of the chain, as a reorganization would.
/// </summary>
[TestClass]
public sealed class ReorgAnvilTests : ChainKitTests
{
    [TestMethod]
    public async Task WaitAsync_ReceiptReorganizedOutBeforeConfirmations_SameBytesMinedAgainAndPaidOnce()
    {
        var (key, recipient) = await FundedPairAsync();
        var startNonce = await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest);
        var snapshot = await Client.RequestAsync<string>("evm_snapshot", []);
        var blocksSeen = new List<BigInteger>();
        using var manager = Kit.Manager("m", key, o => o.Confirmations = 3, checkpoint: async (c, _) =>
        {
            if (c != ExecutionCheckpoint.ReceiptSeen)
            {
                return;
            }

            blocksSeen.Add(await Client.GetBlockNumberAsync());
            if (blocksSeen.Count == 1)
            {
                // Mined, one confirmation of three: the block disappears.
                Assert.IsTrue(await Client.RequestAsync<bool>("evm_revert", [snapshot]));
            }
            else
            {
                // Mined again: two more blocks give it its three confirmations.
                await Client.RequestAsync("anvil_mine", ["0x2"]);
            }
        });

        var result = await manager.ExecuteAsync(new TransactionIntent("pay", recipient, [], 1_000));

        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        Assert.HasCount(2, blocksSeen, "seen mined, reorganized out, then mined again");
        Assert.HasCount(1, result.Entry.Attempts, "the journaled bytes went out again; nothing was signed anew");
        Assert.AreEqual(result.Entry.Attempts[0].Hash, result.Entry.MinedHash);
        Assert.IsGreaterThanOrEqualTo(new BigInteger(3), await Client.GetBlockNumberAsync() - result.Entry.BlockNumber!.Value + 1);
        Assert.AreEqual(new BigInteger(1_000), await Client.GetBalanceAsync(recipient), "paid exactly once");
        Assert.AreEqual(startNonce + 1, await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest), "exactly one transaction mined");
    }

    [TestMethod]
    public async Task ResumeAsync_ConfirmedTradeReorganizedOut_ReopensAndMinesTheSameTransactionOnce()
    {
        var (key, recipient) = await FundedPairAsync();
        var startNonce = await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest);
        var snapshot = await Client.RequestAsync<string>("evm_snapshot", []);
        ExecutionResult first;
        using (var manager = Kit.Manager("m", key))
        {
            first = await manager.ExecuteAsync(new TransactionIntent("pay", recipient, [], 1_000));
        }

        Assert.IsTrue(first.Succeeded, first.Entry.FailureReason);
        Assert.IsTrue(await Client.RequestAsync<bool>("evm_revert", [snapshot]));
        Assert.AreEqual(BigInteger.Zero, await Client.GetBalanceAsync(recipient), "the reorganization took the payment out");

        using var restarted = Kit.Manager("m", key);
        var reopened = await restarted.ReopenReorganizedAsync();
        var reopenedFromFile = ExecutionJournal.Open(restarted.Journal.FilePath).Find("pay")!;
        var results = await restarted.ResumeAsync();
        var again = await restarted.ReopenReorganizedAsync();

        Assert.AreEqual("pay", reopened.Single().Intent.Id);
        Assert.AreEqual(ExecutionStep.Sent, reopenedFromFile.Step, "the journal file holds the intent as pending again");
        Assert.IsFalse(reopenedFromFile.IsFinished);
        var result = results.Single();
        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        Assert.AreEqual(first.Entry.MinedHash, result.Entry.MinedHash, "the same signed transaction, not a second one");
        Assert.HasCount(1, result.Entry.Attempts);
        Assert.IsEmpty(again, "mined again: nothing left to reopen");
        Assert.AreEqual(new BigInteger(1_000), await Client.GetBalanceAsync(recipient), "paid exactly once");
        Assert.AreEqual(startNonce + 1, await Client.GetTransactionCountAsync(key.Address, BlockTag.Latest), "exactly one transaction mined");
    }

    [TestMethod]
    public async Task ReopenReorganizedAsync_ConfirmedTradeStillInChain_ReopensNothing()
    {
        var (key, recipient) = await FundedPairAsync();
        using var manager = Kit.Manager("m", key);
        var result = await manager.ExecuteAsync(new TransactionIntent("pay", recipient, [], 5));

        var reopened = await manager.ReopenReorganizedAsync();

        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        Assert.IsEmpty(reopened);
        Assert.AreEqual(ExecutionStep.Confirmed, manager.Journal.Find("pay")!.Step);
    }

    private async Task<(PrivateKey Key, EthAddress Recipient)> FundedPairAsync() =>
        (await Kit.FundedKeyAsync(TestContext.TestName!), ChainTestKit.Key(TestContext.TestName + ":to").Address);
}
