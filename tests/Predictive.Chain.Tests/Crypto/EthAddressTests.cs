using System.Globalization;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Tests.Crypto;

[TestClass]
public sealed class EthAddressTests
{
    // EIP-55 "Test Cases": all caps, all lower, and normal mixed-case checksums.
    [TestMethod]
    [DataRow("0x52908400098527886E0F7030069857D2E4169EE7")]
    [DataRow("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [DataRow("0xde709f2102306220921060314715629080e2fb77")]
    [DataRow("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [DataRow("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [DataRow("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [DataRow("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [DataRow("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void ToChecksumString_Eip55Vector_MatchesPublishedForm(string expected)
    {
        var fromLower = EthAddress.Parse("0x" + expected[2..].ToLower(CultureInfo.InvariantCulture));
        Assert.AreEqual(expected, fromLower.ToChecksumString());
        Assert.IsTrue(EthAddress.IsChecksummed(expected));
        Assert.AreEqual(fromLower, EthAddress.Parse(expected));
    }

    [TestMethod]
    public void Parse_MixedCaseWithWrongChecksum_Throws()
    {
        var error = Assert.ThrowsExactly<FormatException>(() => EthAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        Assert.Contains("checksum", error.Message);
    }

    [TestMethod]
    [DataRow("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")]
    [DataRow("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00")]
    [DataRow("0xZZAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.IsFalse(EthAddress.TryParse(text, out _));
    }

    [TestMethod]
    public void PrivateKeyAddress_AnvilDevKey_GivesPublishedChecksummedAccount()
    {
        var key = PrivateKey.FromHex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        Assert.AreEqual("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", key.Address.ToString());
    }
}
