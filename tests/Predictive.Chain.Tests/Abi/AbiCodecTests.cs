using System.Numerics;
using CsCheck;
using Predictive.Chain.Abi;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Tests.Abi;

[TestClass]
public sealed class AbiCodecTests
{
    [TestMethod]
    [DataRow("uint8", "256")]
    [DataRow("uint8", "-1")]
    [DataRow("int8", "128")]
    [DataRow("int8", "-129")]
    [DataRow("uint256", "115792089237316195423570985008687907853269984665640564039457584007913129639936")]
    public void Encode_IntegerOutOfRange_ThrowsNamingType(string type, string value)
    {
        var error = Assert.ThrowsExactly<AbiException>(() =>
            AbiEncoder.Encode([AbiType.Parse(type)], [BigInteger.Parse(value, System.Globalization.CultureInfo.InvariantCulture)]));
        Assert.Contains(type, error.Message);
    }

    [TestMethod]
    public void EncodeDecode_Int256AndUint256_RoundTrip()
    {
        var types = new[] { AbiType.Parse("int256"), AbiType.Parse("uint256") };
        var max = (BigInteger.One << 255) - 1;
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[32]).Sample((a, b) =>
        {
            var signed = new BigInteger(a, isUnsigned: false, isBigEndian: true);
            var unsigned = new BigInteger(b, isUnsigned: true, isBigEndian: true);
            var decoded = AbiDecoder.Decode(types, AbiEncoder.Encode(types, [signed, unsigned]));
            Assert.AreEqual(signed, decoded[0]);
            Assert.AreEqual(unsigned, decoded[1]);
            Assert.IsTrue(signed <= max);
        }, iter: 500, seed: "0Sc1a3y7BXq4");
    }

    [TestMethod]
    public void EncodeDecode_TupleWithDynamicArrayOfStrings_RoundTrip()
    {
        var type = AbiType.Parse("(address,string[],(bool,bytes32)[2],int24)");
        var address = EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        object?[] strings = ["one", "two", "three"];
        object?[] inner = [new object?[] { true, new byte[32] }, new object?[] { false, Enumerable.Repeat((byte)7, 32).ToArray() }];
        object?[] value = [address, strings, inner, new BigInteger(-5)];
        var decoded = (object?[])AbiDecoder.Decode([type], AbiEncoder.Encode([type], [value]))[0]!;
        Assert.AreEqual(address, decoded[0]);
        CollectionAssert.AreEqual(strings, (object?[])decoded[1]!);
        Assert.AreEqual(false, ((object?[])((object?[])decoded[2]!)[1]!)[0]);
        Assert.AreEqual(new BigInteger(-5), decoded[3]);
    }

    [TestMethod]
    public void Decode_DirtyHighBitsInUint8_Throws()
    {
        var word = new byte[32];
        word[30] = 1;
        Assert.ThrowsExactly<AbiException>(() => AbiDecoder.Decode([AbiType.Parse("uint8")], word));
    }

    [TestMethod]
    public void Decode_OffsetPastEnd_Throws()
    {
        var word = Hex.ToFixedBigEndian(4096, 32);
        Assert.ThrowsExactly<AbiException>(() => AbiDecoder.Decode([AbiType.Parse("bytes")], word));
    }

    [TestMethod]
    public void Decode_HugeArrayLength_ThrowsWithoutAllocating()
    {
        var data = new byte[64];
        data[31] = 0x20;
        Hex.ToFixedBigEndian(int.MaxValue - 100, 32).CopyTo(data, 32);
        Assert.ThrowsExactly<AbiException>(() => AbiDecoder.Decode([AbiType.Parse("uint256[]")], data));
    }

    [TestMethod]
    [DataRow("uint7")]
    [DataRow("uint264")]
    [DataRow("bytes33")]
    [DataRow("bytes0")]
    [DataRow("(uint256")]
    [DataRow("uint256[0]")]
    [DataRow("fixed128x18")]
    public void Parse_InvalidType_Throws(string type)
    {
        Assert.ThrowsExactly<AbiException>(() => AbiType.Parse(type));
    }

    [TestMethod]
    public void Encode_BytesNWithWrongLength_Throws()
    {
        Assert.ThrowsExactly<AbiException>(() => AbiEncoder.Encode([AbiType.Parse("bytes3")], [new byte[2]]));
    }
}
