using System.Numerics;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Tests.Crypto;

/// <summary>Our key wrapper around Nethereum's EthECKey: redaction and the range check done before the library sees a secret.</summary>
[TestClass]
public sealed class PrivateKeyTests
{
    private const string AnvilKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    [TestMethod]
    public void ToString_PrivateKey_DoesNotShowTheSecret()
    {
        var text = PrivateKey.FromHex(AnvilKey).ToString();

        Assert.DoesNotContain(AnvilKey, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ac0974", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", text, "anvil's first account");
    }

    [TestMethod]
    public void FromHex_InvalidKey_MessageDoesNotEchoTheInput()
    {
        const string almostKey = "zz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
        var error = Assert.ThrowsExactly<ArgumentException>(() => PrivateKey.FromHex(almostKey));
        Assert.DoesNotContain("0974bec39a17", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public void FromBytes_ZeroOrGroupOrder_IsRejectedAndOrderMinusOneAccepted()
    {
        // n of secp256k1 (SEC 2, section 2.4.1), written out here rather than taken from the code under test.
        var order = Convert.FromHexString("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141");
        var orderMinusOne = (byte[])order.Clone();
        orderMinusOne[^1]--;

        Assert.ThrowsExactly<ArgumentException>(() => PrivateKey.FromBytes(new byte[32]));
        Assert.ThrowsExactly<ArgumentException>(() => PrivateKey.FromBytes(order));
        Assert.AreEqual(
            new Nethereum.Signer.EthECKey(orderMinusOne, true).GetPublicAddress(),
            PrivateKey.FromBytes(orderMinusOne).Address.ToString());
    }

    [TestMethod]
    public void Address_AnvilDevKey_IsAnvilsFirstAccountChecksummed()
    {
        var address = PrivateKey.FromHex("0x" + AnvilKey).Address;

        Assert.AreEqual("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", address.ToString());
        Assert.AreEqual(new BigInteger(0xf3), new BigInteger(address.ToBytes()[0]));
    }
}
