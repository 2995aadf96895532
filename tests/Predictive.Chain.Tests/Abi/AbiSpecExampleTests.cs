using System.Numerics;
using System.Text;
using Predictive.Chain.Abi;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Tests.Abi;

/// <summary>The examples of the Solidity ABI specification ("Examples" and "Use of Dynamic Types").</summary>
[TestClass]
public sealed class AbiSpecExampleTests
{
    private const string Baz =
        "0xcdcd77c0" +
        "0000000000000000000000000000000000000000000000000000000000000045" +
        "0000000000000000000000000000000000000000000000000000000000000001";

    private const string Bar =
        "0xfce353f6" +
        "6162630000000000000000000000000000000000000000000000000000000000" +
        "6465660000000000000000000000000000000000000000000000000000000000";

    private const string Sam =
        "0xa5643bf2" +
        "0000000000000000000000000000000000000000000000000000000000000060" +
        "0000000000000000000000000000000000000000000000000000000000000001" +
        "00000000000000000000000000000000000000000000000000000000000000a0" +
        "0000000000000000000000000000000000000000000000000000000000000004" +
        "6461766500000000000000000000000000000000000000000000000000000000" +
        "0000000000000000000000000000000000000000000000000000000000000003" +
        "0000000000000000000000000000000000000000000000000000000000000001" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "0000000000000000000000000000000000000000000000000000000000000003";

    private const string F =
        "0x8be65246" +
        "0000000000000000000000000000000000000000000000000000000000000123" +
        "0000000000000000000000000000000000000000000000000000000000000080" +
        "3132333435363738393000000000000000000000000000000000000000000000" +
        "00000000000000000000000000000000000000000000000000000000000000e0" +
        "0000000000000000000000000000000000000000000000000000000000000002" +
        "0000000000000000000000000000000000000000000000000000000000000456" +
        "0000000000000000000000000000000000000000000000000000000000000789" +
        "000000000000000000000000000000000000000000000000000000000000000d" +
        "48656c6c6f2c20776f726c642100000000000000000000000000000000000000";

    [TestMethod]
    public void EncodeCall_Baz_MatchesSpec()
    {
        var baz = AbiFunction.Parse("baz(uint32 x, bool y) returns (bool r)");
        Assert.AreEqual(Baz, Hex.Encode(baz.EncodeCall(69, true)));
        var args = baz.DecodeCall(Hex.Decode(Baz));
        Assert.AreEqual(new BigInteger(69), args[0]);
        Assert.AreEqual(true, args[1]);
    }

    [TestMethod]
    public void EncodeCall_Bar_MatchesSpec()
    {
        var bar = AbiFunction.Parse("bar(bytes3[2])");
        object?[] pair = ["abc"u8.ToArray(), "def"u8.ToArray()];
        Assert.AreEqual(Bar, Hex.Encode(bar.EncodeCall([pair])));
        var decoded = (object?[])bar.DecodeCall(Hex.Decode(Bar))[0]!;
        Assert.AreEqual("def", Encoding.ASCII.GetString((byte[])decoded[1]!));
    }

    [TestMethod]
    public void EncodeCall_Sam_MatchesSpec()
    {
        var sam = AbiFunction.Parse("sam(bytes, bool, uint[])");
        Assert.AreEqual("sam(bytes,bool,uint256[])", sam.Signature);
        object?[] numbers = [1, 2, 3];
        Assert.AreEqual(Sam, Hex.Encode(sam.EncodeCall("dave"u8.ToArray(), true, numbers)));
        var decoded = sam.DecodeCall(Hex.Decode(Sam));
        Assert.AreEqual("dave", Encoding.ASCII.GetString((byte[])decoded[0]!));
        CollectionAssert.AreEqual(new object[] { new BigInteger(1), new BigInteger(2), new BigInteger(3) }, (object?[])decoded[2]!);
    }

    [TestMethod]
    public void EncodeCall_DynamicTypesExample_MatchesSpec()
    {
        var f = AbiFunction.Parse("f(uint,uint32[],bytes10,bytes)");
        object?[] array = [0x456, 0x789];
        var encoded = f.EncodeCall(0x123, array, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray());
        Assert.AreEqual(F, Hex.Encode(encoded));
        var decoded = f.DecodeCall(encoded);
        Assert.AreEqual("Hello, world!", Encoding.ASCII.GetString((byte[])decoded[3]!));
    }

    [TestMethod]
    public void Parse_NestedTupleSignature_IsCanonical()
    {
        var swap = AbiFunction.Parse("swap(address to, uint256[] amounts, (bool, bytes32) options)");
        Assert.AreEqual("swap(address,uint256[],(bool,bytes32))", swap.Signature);
        Assert.AreEqual(Hex.Encode(Nethereum.Util.Sha3Keccack.Current.CalculateHashAsBytes(swap.Signature).AsSpan(0, 4)), Hex.Encode(swap.Selector));
    }
}
