using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;
using Newtonsoft.Json.Linq;

namespace Predictive.Chain.Tests.Transactions;

/// <summary>Where our code meets Nethereum: the fields the manager chooses become Nethereum's signed bytes, and anvil reads back exactly those.</summary>
[TestClass]
public sealed class IntentSigningAnvilTests : ChainKitTests
{
    [TestMethod]
    public void Sign_Eip1559Fields_NethereumDecodesTheSameFieldsAndSender()
    {
        var key = ChainTestKit.Key("sign");
        var to = ChainTestKit.Key("sign:to").Address;
        var transaction = new Eip1559Transaction
        {
            ChainId = 31337, Nonce = 7, MaxPriorityFeePerGas = 2_000_000_000, MaxFeePerGas = 90_000_000_000, GasLimit = 123_456,
            To = to, Value = 999, Data = [0xde, 0xad, 0xbe, 0xef],
        };

        var signed = transaction.Sign(key);
        var decoded = (Transaction1559)TransactionFactory.CreateTransaction(signed.Raw);

        Assert.AreEqual(0x02, signed.Raw[0], "EIP-2718 type 2 envelope");
        Assert.AreEqual(new BigInteger(31337), decoded.ChainId);
        Assert.AreEqual(new BigInteger(7), decoded.Nonce);
        Assert.AreEqual(new BigInteger(2_000_000_000), decoded.MaxPriorityFeePerGas);
        Assert.AreEqual(new BigInteger(90_000_000_000), decoded.MaxFeePerGas);
        Assert.AreEqual(new BigInteger(123_456), decoded.GasLimit);
        Assert.AreEqual(new BigInteger(999), decoded.Amount);
        Assert.AreEqual(to, EthAddress.Parse(Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(decoded.ReceiverAddress)));
        Assert.AreEqual("0xdeadbeef", decoded.Data.EnsureHexPrefix());
        Assert.AreEqual(key.Address, SignedRawTransaction.RecoverSender(signed.Raw));
        Assert.AreEqual(Nethereum.Util.Sha3Keccack.Current.CalculateHash(signed.Raw).ToHex(true), signed.HashHex);
    }

    [TestMethod]
    public void Sign_RecoverableSignerSwitch_GivesTheSameBytes()
    {
        var key = ChainTestKit.Key("switch");
        var transactions = Enumerable.Range(0, 20).Select(i => new Eip1559Transaction
        {
            ChainId = 31337, Nonce = i, MaxPriorityFeePerGas = 1 + i, MaxFeePerGas = 100 + i, GasLimit = 21_000 + i, To = key.Address, Value = i,
        }).ToList();

        var fast = transactions.Select(t => t.Sign(key).Raw).ToList();
        Nethereum.Signer.EthECKey.SignRecoverable = false;
        try
        {
            var trial = transactions.Select(t => t.Sign(key).Raw).ToList();
            for (var i = 0; i < fast.Count; i++)
            {
                CollectionAssert.AreEqual(trial[i], fast[i], $"transaction {i}");
            }
        }
        finally
        {
            Nethereum.Signer.EthECKey.SignRecoverable = true;
        }
    }

    [TestMethod]
    public void Sign_PriorityFeeAboveMaxFee_RefusesBeforeSigning()
    {
        var transaction = new Eip1559Transaction { ChainId = 1, Nonce = 0, GasLimit = 21_000, MaxPriorityFeePerGas = 2, MaxFeePerGas = 1 };

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => transaction.Sign(ChainTestKit.Key("fees")));

        Assert.Contains("exceeds MaxFeePerGas", e.Message);
    }

    [TestMethod]
    public void RecoverSender_TamperedSignature_GivesAnotherSenderOrRefuses()
    {
        var key = ChainTestKit.Key("tamper");
        var raw = new Eip1559Transaction { ChainId = 1, Nonce = 0, GasLimit = 21_000, MaxPriorityFeePerGas = 1, MaxFeePerGas = 2, To = key.Address }.Sign(key).Raw;
        raw[^1] ^= 0x01; // the last byte of s

        EthAddress? recovered = null;
        try
        {
            recovered = SignedRawTransaction.RecoverSender(raw);
        }
        catch (FormatException)
        {
            // A signature that no longer recovers at all is refused, which is as good.
        }

        Assert.AreNotEqual(key.Address, recovered);
    }

    [TestMethod]
    public async Task ExecuteAsync_CallIntent_AnvilReadsBackTheJournaledNethereumBytes()
    {
        var key = await Kit.FundedKeyAsync(TestContext.TestName!);
        var recipient = ChainTestKit.Key(TestContext.TestName + ":to").Address;
        using var manager = Kit.Manager("m", key);
        var data = new byte[] { 0x01, 0x02, 0x03 };

        var result = await manager.ExecuteAsync(new TransactionIntent("call", recipient, data, 4_321));

        Assert.IsTrue(result.Succeeded, result.Entry.FailureReason);
        var attempt = result.Entry.Attempts.Single();
        var onChain = await Client.RequestAsync<JObject>("eth_getTransactionByHash", [attempt.Hash]);
        Assert.AreEqual(attempt.Hash, (string?)onChain["hash"]);
        Assert.AreEqual("0x2", (string?)onChain["type"]);
        Assert.AreEqual(key.Address, EthAddress.Parse(Checksummed(onChain, "from")));
        Assert.AreEqual(recipient, EthAddress.Parse(Checksummed(onChain, "to")));
        Assert.AreEqual("0x010203", (string?)onChain["input"]);
        Assert.AreEqual(new BigInteger(4_321), Quantity(onChain, "value"));
        Assert.AreEqual(attempt.Nonce, Quantity(onChain, "nonce"));
        Assert.AreEqual(attempt.GasLimit, Quantity(onChain, "gas"));
        Assert.AreEqual(attempt.Fees.MaxFeePerGas, Quantity(onChain, "maxFeePerGas"));
        Assert.AreEqual(attempt.Fees.MaxPriorityFeePerGas, Quantity(onChain, "maxPriorityFeePerGas"));
        Assert.AreEqual(new BigInteger(4_321), await Client.GetBalanceAsync(recipient));
    }

    private static string Checksummed(JObject transaction, string field) =>
        Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress((string?)transaction[field]);

    private static BigInteger Quantity(JObject transaction, string field) =>
        ((string?)transaction[field])!.HexToBigInteger(isHexLittleEndian: false);
}
