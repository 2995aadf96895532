using System.Numerics;
using System.Text;
using CsCheck;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Tests.Crypto;

[TestClass]
public sealed class KeccakAndSigningTests
{
    [TestMethod]
    public void Hash_EmptyInput_IsPublishedKeccakNotSha3()
    {
        Assert.AreEqual("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.Encode(Keccak256.Hash([])));
    }

    [TestMethod]
    public void Hash_TransferSignature_GivesErc20Selector()
    {
        Assert.AreEqual("0xa9059cbb", Hex.Encode(Keccak256.Hash("transfer(address,uint256)").AsSpan(0, 4)));
    }

    [TestMethod]
    public void Sign_SameKeyAndHash_IsDeterministic()
    {
        var key = PrivateKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        var hash = Keccak256.Hash("message"u8);
        Assert.AreEqual(key.Sign(hash), key.Sign(hash));
    }

    [TestMethod]
    public void Sign_RandomKeysAndMessages_LowSAndRecoversSigner()
    {
        Gen.Select(Gen.Byte.Array[32], Gen.Byte.Array[1, 100]).Sample((secret, message) =>
        {
            var scalar = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
            if (scalar.IsZero || scalar >= Secp256k1.Order)
            {
                return;
            }

            var key = PrivateKey.FromBytes(secret);
            var hash = Keccak256.Hash(message);
            var signature = key.Sign(hash);
            Assert.IsTrue(signature.IsLowS, "s must be normalized to the lower half");
            Assert.AreEqual(key.Address, EthAddress.FromPublicKey(Secp256k1.RecoverPublicKey(hash, signature)));
        }, iter: 200, seed: "0N0XIzNsQ0O2");
    }

    [TestMethod]
    public void RecoverPublicKey_WrongRecoveryId_GivesAnotherAddress()
    {
        var key = PrivateKey.FromHex("4646464646464646464646464646464646464646464646464646464646464646");
        var hash = Keccak256.Hash("x"u8);
        var signature = key.Sign(hash);
        var flipped = signature with { RecoveryId = signature.RecoveryId ^ 1 };
        Assert.AreNotEqual(key.Address, EthAddress.FromPublicKey(Secp256k1.RecoverPublicKey(hash, flipped)));
    }

    [TestMethod]
    public void ToString_PrivateKey_DoesNotShowTheSecret()
    {
        const string secret = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
        var key = PrivateKey.FromHex(secret);
        var text = key.ToString();
        Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ac0974", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", text);
    }

    [TestMethod]
    public void FromHex_InvalidKey_MessageDoesNotEchoTheInput()
    {
        const string almostKey = "zz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
        var error = Assert.ThrowsExactly<ArgumentException>(() => PrivateKey.FromHex(almostKey));
        Assert.DoesNotContain("0974bec39a17", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public void FromBytes_ZeroOrOrder_IsRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => PrivateKey.FromBytes(new byte[32]));
        Assert.ThrowsExactly<ArgumentException>(() => PrivateKey.FromBytes(Hex.ToFixedBigEndian(Secp256k1.Order, 32)));
    }

    [TestMethod]
    public void ToRsv_Signature_Has65BytesWithV27Or28()
    {
        var key = PrivateKey.Generate();
        var rsv = key.Sign(Keccak256.Hash(Encoding.UTF8.GetBytes("hello"))).ToRsv();
        Assert.HasCount(65, rsv);
        Assert.IsTrue(rsv[64] is 27 or 28);
    }
}
