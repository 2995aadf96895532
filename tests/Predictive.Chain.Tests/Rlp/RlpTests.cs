using System.Text;
using Predictive.Chain.Primitives;
using Predictive.Chain.Rlp;

namespace Predictive.Chain.Tests.Rlp;

[TestClass]
public sealed class RlpTests
{
    private const string Lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";

    public static IEnumerable<object[]> SpecExamples =>
    [
        // Examples from the Ethereum RLP specification.
        [RlpItem.Text("dog"), "0x83646f67"],
        [RlpItem.List(RlpItem.Text("cat"), RlpItem.Text("dog")), "0xc88363617483646f67"],
        [RlpItem.Text(string.Empty), "0x80"],
        [RlpItem.List(), "0xc0"],
        [RlpItem.Number(0), "0x80"],
        [RlpItem.Bytes([0x00]), "0x00"],
        [RlpItem.Bytes([0x0f]), "0x0f"],
        [RlpItem.Number(15), "0x0f"],
        [RlpItem.Bytes([0x04, 0x00]), "0x820400"],
        [RlpItem.Number(1024), "0x820400"],
        [RlpItem.List(RlpItem.List(), RlpItem.List(RlpItem.List()), RlpItem.List(RlpItem.List(), RlpItem.List(RlpItem.List()))), "0xc7c0c1c0c3c0c1c0"],
        [RlpItem.Text(Lorem), "0xb838" + Convert.ToHexStringLower(Encoding.ASCII.GetBytes(Lorem))],
    ];

    [TestMethod]
    [DynamicData(nameof(SpecExamples))]
    public void Encode_SpecExample_MatchesPublishedBytes(RlpItem item, string expected)
    {
        Assert.AreEqual(expected, Hex.Encode(RlpEncoder.Encode(item)));
    }

    [TestMethod]
    [DynamicData(nameof(SpecExamples))]
    public void Decode_SpecExample_ReencodesToSameBytes(RlpItem item, string encoded)
    {
        _ = item;
        var bytes = Hex.Decode(encoded);
        Assert.AreEqual(encoded, Hex.Encode(RlpEncoder.Encode(RlpDecoder.Decode(bytes))));
    }

    [TestMethod]
    public void Decode_CatDog_GivesListOfTwoStrings()
    {
        var list = (RlpList)RlpDecoder.Decode(Hex.Decode("0xc88363617483646f67"));
        Assert.HasCount(2, list.Items);
        Assert.AreEqual("dog", Encoding.ASCII.GetString(list.StringAt(1).Value));
    }

    [TestMethod]
    [DataRow("0x8100", "single byte")]
    [DataRow("0x817f", "single byte")]
    [DataRow("0xb80100", "short form")]
    [DataRow("0xb90001", "leading zero")]
    [DataRow("0xf801c0", "short form")]
    [DataRow("0x83646f", "runs past")]
    [DataRow("0x83646f6700", "trailing")]
    [DataRow("0xc883636174", "runs past")]
    [DataRow("0x", "input ends")]
    public void Decode_NonCanonicalOrMalformed_Throws(string hex, string problem)
    {
        var error = Assert.ThrowsExactly<RlpException>(() => RlpDecoder.Decode(Hex.Decode(hex)));
        Assert.Contains(problem, error.Message);
    }

    [TestMethod]
    public void ToInteger_LeadingZero_Throws()
    {
        var item = (RlpString)RlpDecoder.Decode(Hex.Decode("0x820001"));
        Assert.ThrowsExactly<RlpException>(() => item.ToInteger());
    }
}
