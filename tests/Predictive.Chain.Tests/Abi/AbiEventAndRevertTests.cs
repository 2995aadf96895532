using System.Numerics;
using Predictive.Chain.Abi;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Tests.Abi;

[TestClass]
public sealed class AbiEventAndRevertTests
{
    private static readonly AbiEvent Transfer = AbiEvent.Parse("Transfer(address indexed from, address indexed to, uint256 value)");

    [TestMethod]
    public void Topic0_Erc20Transfer_IsWellKnownHash()
    {
        Assert.AreEqual("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Hex.Encode(Transfer.Topic0));
    }

    [TestMethod]
    public void Decode_TransferLog_GivesIndexedAndDataValuesInOrder()
    {
        var from = EthAddress.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        var to = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        byte[][] topics = [Transfer.Topic0, [.. new byte[12], .. from.ToBytes()], [.. new byte[12], .. to.ToBytes()]];
        var values = Transfer.Decode(topics, Hex.ToFixedBigEndian(1000, 32));
        Assert.AreEqual(from, values[0]);
        Assert.AreEqual(to, values[1]);
        Assert.AreEqual(new BigInteger(1000), values[2]);
    }

    [TestMethod]
    public void Decode_IndexedString_GivesTheTopicHash()
    {
        var named = AbiEvent.Parse("Named(string indexed name, string note)");
        var nameHash = Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes("alice");
        var values = named.Decode([named.Topic0, nameHash], AbiEncoder.Encode([AbiString.Instance], ["hi"]));
        CollectionAssert.AreEqual(nameHash, (byte[])values[0]!);
        Assert.AreEqual("hi", values[1]);
    }

    [TestMethod]
    public void Decode_WrongTopic0_Throws()
    {
        Assert.ThrowsExactly<AbiException>(() => Transfer.Decode([new byte[32], new byte[32], new byte[32]], new byte[32]));
    }

    [TestMethod]
    public void Decode_ErrorString_GivesMessage()
    {
        var data = AbiError.Parse("Error(string)").Encode("insufficient output");
        Assert.AreEqual("0x08c379a0", Hex.Encode(data.AsSpan(0, 4)));
        var reason = RevertReason.Decode(data);
        Assert.AreEqual(RevertKind.Error, reason.Kind);
        Assert.AreEqual("insufficient output", reason.Message);
    }

    [TestMethod]
    public void Decode_PanicOverflow_DescribesCode()
    {
        var data = AbiError.Parse("Panic(uint256)").Encode(0x11);
        Assert.AreEqual("0x4e487b71", Hex.Encode(data.AsSpan(0, 4)));
        var reason = RevertReason.Decode(data);
        Assert.AreEqual(RevertKind.Panic, reason.Kind);
        Assert.Contains("overflow", reason.Message);
    }

    [TestMethod]
    public void Decode_CustomError_MatchesDeclaration()
    {
        var custom = AbiError.Parse("InsufficientBalance(uint256 available, uint256 required)");
        var reason = RevertReason.Decode(custom.Encode(5, 10), [custom]);
        Assert.AreEqual(RevertKind.Custom, reason.Kind);
        Assert.AreEqual("InsufficientBalance(5, 10)", reason.Message);
        Assert.AreEqual(RevertKind.Unknown, RevertReason.Decode(custom.Encode(5, 10)).Kind);
    }
}
