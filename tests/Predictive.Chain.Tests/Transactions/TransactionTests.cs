using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Transactions;

[TestClass]
public sealed class TransactionTests
{
    private static readonly PrivateKey Eip155Key = PrivateKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");

    // The example transaction of EIP-155.
    private static readonly LegacyTransaction Eip155Example = new()
    {
        Nonce = 9,
        GasPrice = 20_000_000_000,
        GasLimit = 21000,
        To = EthAddress.Parse("0x3535353535353535353535353535353535353535"),
        Value = BigInteger.Pow(10, 18),
        ChainId = 1,
    };

    [TestMethod]
    public void SigningPayload_Eip155Example_MatchesPublishedSigningData()
    {
        Assert.AreEqual("0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080", Hex.Encode(Eip155Example.SigningPayload()));
        Assert.AreEqual("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(Eip155Example.SigningHash()));
    }

    [TestMethod]
    public void Sign_Eip155Example_MatchesPublishedSignatureAndRawTransaction()
    {
        var signed = Eip155Example.Sign(Eip155Key);
        Assert.AreEqual(BigInteger.Parse("18515461264373351373200002665853028612451056578545711640558177340181847433846", System.Globalization.CultureInfo.InvariantCulture), signed.Signature.R);
        Assert.AreEqual(BigInteger.Parse("46948507304638947509940763649030358759909902576025900602547168820602576006531", System.Globalization.CultureInfo.InvariantCulture), signed.Signature.S);
        Assert.AreEqual(0, signed.Signature.YParity, "v = 37 = 0 + 2·1 + 35");
        Assert.AreEqual(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            signed.RawHex);
    }

    [TestMethod]
    public void Decode_Eip155ExampleRaw_RecoversSenderAndFields()
    {
        var raw = Hex.Decode("0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83");
        var decoded = SignedTransaction.Decode(raw);
        Assert.AreEqual(Eip155Key.Address, decoded.Sender);
        Assert.AreEqual("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", decoded.Sender.ToString());
        var legacy = (LegacyTransaction)decoded.Transaction;
        Assert.AreEqual(new BigInteger(9), legacy.Nonce);
        Assert.AreEqual(BigInteger.One, legacy.ChainId);
    }

    [TestMethod]
    public void Sign_Eip1559Transaction_DecodesToSameFieldsAndSender()
    {
        var key = PrivateKey.FromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        var transaction = new Eip1559Transaction
        {
            ChainId = 31337,
            Nonce = 7,
            MaxPriorityFeePerGas = 1_000_000_000,
            MaxFeePerGas = 30_000_000_000,
            GasLimit = 100_000,
            To = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            Value = 12345,
            Data = [0xde, 0xad, 0xbe, 0xef],
            AccessList = [new AccessListEntry(EthAddress.Parse("0x3535353535353535353535353535353535353535"), [new byte[32]])],
        };
        var signed = transaction.Sign(key);
        Assert.AreEqual((byte)0x02, signed.Raw[0]);
        var decoded = SignedTransaction.Decode(signed.Raw);
        Assert.AreEqual(key.Address, decoded.Sender);
        var roundTrip = (Eip1559Transaction)decoded.Transaction;
        Assert.AreEqual(transaction.MaxFeePerGas, roundTrip.MaxFeePerGas);
        Assert.AreEqual("0xdeadbeef", Hex.Encode(roundTrip.Data));
        Assert.HasCount(1, roundTrip.AccessList);
        CollectionAssert.AreEqual(signed.Hash, decoded.Hash);
    }

    [TestMethod]
    public void Sign_PriorityFeeAboveMaxFee_Throws()
    {
        var transaction = new Eip1559Transaction { ChainId = 1, Nonce = 0, GasLimit = 21000, MaxPriorityFeePerGas = 2, MaxFeePerGas = 1 };
        Assert.ThrowsExactly<InvalidOperationException>(() => transaction.Sign(Eip155Key));
    }

    [TestMethod]
    public void Decode_TamperedSignature_GivesDifferentSender()
    {
        var raw = Eip155Example.Sign(Eip155Key).Raw;
        raw[^1] ^= 0x01;
        var decoded = SignedTransaction.Decode(raw);
        Assert.AreNotEqual(Eip155Key.Address, decoded.Sender);
    }
}
