using System.Numerics;
using Predictive.Chain.Crypto;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Transactions;

[TestClass]
public sealed class FeeAndJournalTests
{
    private static readonly BigInteger Gwei = 1_000_000_000;

    [TestMethod]
    public void Choose_BaseFeePlusTipAboveCap_RefusesWithBothNumbers()
    {
        var history = History([50 * Gwei, 60 * Gwei], [[2 * Gwei]]);

        var e = Assert.ThrowsExactly<FeeCapExceededException>(() => FeeEstimator.Choose(history, Gwei, 40 * Gwei));

        Assert.AreEqual(62 * Gwei, e.RequiredWei);
        Assert.Contains("refusing to send", e.Message);
    }

    [TestMethod]
    public void Choose_TwiceBaseAboveCap_ClipsMaxFeeToCap()
    {
        var history = History([10 * Gwei, 30 * Gwei], [[1 * Gwei], [3 * Gwei]]);

        var fees = FeeEstimator.Choose(history, Gwei / 10, 50 * Gwei);

        Assert.AreEqual(30 * Gwei, fees.BaseFeePerGas, "the last base fee is the next block's");
        Assert.AreEqual(3 * Gwei, fees.MaxPriorityFeePerGas, "median of the two tips (upper)");
        Assert.AreEqual(50 * Gwei, fees.MaxFeePerGas);
    }

    [TestMethod]
    public void Bump_PreviousFees_RaisesBothByAtLeastTenPercentRoundedUp()
    {
        var previous = new Eip1559Fees(101, 11, 40);
        var fresh = new Eip1559Fees(90, 5, 40);

        var bumped = FeeEstimator.Bump(previous, fresh, 10, 1_000);

        Assert.AreEqual(new BigInteger(112), bumped.MaxFeePerGas, "ceil(101 × 1.1) = 112");
        Assert.AreEqual(new BigInteger(13), bumped.MaxPriorityFeePerGas, "ceil(11 × 1.1) = 13");
    }

    [TestMethod]
    public void Bump_AboveCap_Refuses() =>
        Assert.ThrowsExactly<FeeCapExceededException>(() => FeeEstimator.Bump(new Eip1559Fees(100, 10, 40), new Eip1559Fees(100, 10, 40), 10, 105));

    [TestMethod]
    public void Open_TornLastLine_DropsItAndKeepsEarlierSteps()
    {
        var path = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.jsonl");
        try
        {
            var journal = ExecutionJournal.Open(path);
            var from = ChainTestKit.Key("journal").Address;
            journal.RecordIntent(new TransactionIntent("a", EthAddress.Zero, [1, 2], 5), from);
            File.AppendAllText(path, "{\"IntentId\":\"a\",\"Step\":\"Sig");

            var reopened = ExecutionJournal.Open(path);

            var entry = reopened.Find("a");
            Assert.IsNotNull(entry);
            Assert.AreEqual(ExecutionStep.Intent, entry.Step);
            Assert.AreEqual(new BigInteger(5), entry.Intent.Value);
            Assert.IsTrue(File.ReadAllText(path).EndsWith('\n'), "the torn tail is cut off so the next append starts a fresh line");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Open_IntentWithGasAllowance_KeepsItAcrossRestart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.jsonl");
        try
        {
            var from = ChainTestKit.Key("journal").Address;
            var journal = ExecutionJournal.Open(path);
            journal.RecordIntent(new TransactionIntent("with", EthAddress.Zero, [1]) { GasAllowance = 44_200 }, from);
            journal.RecordIntent(new TransactionIntent("without", EthAddress.Zero, [2]), from);

            var reopened = ExecutionJournal.Open(path);

            Assert.AreEqual(new BigInteger(44_200), reopened.Find("with")!.Intent.GasAllowance);
            Assert.AreEqual(BigInteger.Zero, reopened.Find("without")!.Intent.GasAllowance);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void GasAllowance_Negative_ThrowsNamingTheIntent()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TransactionIntent("neg", EthAddress.Zero, [1]) { GasAllowance = -1 });
        Assert.Contains("neg", e.Message);
    }

    [TestMethod]
    public void Open_StepBeforeIntent_ThrowsNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"journal-{Guid.NewGuid():N}.jsonl");
        try
        {
            File.WriteAllText(path, "{\"IntentId\":\"x\",\"Step\":\"Sent\",\"Hash\":\"0x01\"}\n");

            var e = Assert.ThrowsExactly<InvalidDataException>(() => ExecutionJournal.Open(path));

            Assert.Contains(path, e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An eth_feeHistory answer as Nethereum deserializes it: one base fee more than blocks, tips at one percentile.</summary>
    private static FeeHistoryResult History(BigInteger[] baseFees, BigInteger[][] rewards) => new()
    {
        OldestBlock = new HexBigInteger(1),
        BaseFeePerGas = [.. baseFees.Select(f => new HexBigInteger(f))],
        GasUsedRatio = [.. rewards.Select(_ => 0.5m)],
        Reward = [.. rewards.Select(r => r.Select(t => new HexBigInteger(t)).ToArray())],
    };
}
