using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using Nethereum.Hex.HexConvertors.Extensions;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Tests.Contracts;

/// <summary>Our revert decoding on Nethereum's decoder: revert data built from the published selectors and Nethereum's encoder.</summary>
[TestClass]
public sealed class RevertReasonTests
{
    private static readonly ErrorABI InsufficientBalance = Error("error InsufficientBalance(uint256 available, uint256 required)");
    private static readonly ErrorABI NotOwner = Error("error NotOwner(address caller)");

    [TestMethod]
    public void Decode_ErrorString_GivesMessage()
    {
        // Error(string) = 0x08c379a0, then the string's offset (32), its length (19) and its bytes padded to 32.
        var data = ("0x08c379a0" + Word(32) + Word(19) + Convert.ToHexStringLower("insufficient output"u8).PadRight(64, '0')).HexToByteArray();

        var reason = RevertReason.Decode(data);

        Assert.AreEqual(RevertKind.Error, reason.Kind);
        Assert.AreEqual("insufficient output", reason.Message);
    }

    [TestMethod]
    public void Decode_PanicOverflow_DescribesCode()
    {
        var reason = RevertReason.Decode(("0x4e487b71" + Word(0x11)).HexToByteArray());

        Assert.AreEqual(RevertKind.Panic, reason.Kind);
        Assert.AreEqual("Panic 0x11: arithmetic overflow or underflow", reason.Message);
    }

    [TestMethod]
    public void Decode_CustomError_MatchesOnlyWhenDeclared()
    {
        var data = Encode(InsufficientBalance, 5, 10);

        var reason = RevertReason.Decode(data, [NotOwner, InsufficientBalance]);

        Assert.AreEqual(RevertKind.Custom, reason.Kind);
        Assert.AreEqual("InsufficientBalance(5, 10)", reason.Message);
        Assert.AreEqual(RevertKind.Unknown, RevertReason.Decode(data).Kind);
    }

    [TestMethod]
    public void Decode_AddressArgument_IsEthAddress()
    {
        var caller = EthAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

        var reason = RevertReason.Decode(Encode(NotOwner, caller.ToString()), [NotOwner]);

        Assert.AreEqual(caller, reason.Arguments[0]);
    }

    [TestMethod]
    public void Decode_SelectorWithTruncatedBody_IsUnknownNotThrown()
    {
        var data = Encode(InsufficientBalance, 5, 10)[..20];

        Assert.AreEqual(RevertKind.Unknown, RevertReason.Decode(data, [InsufficientBalance]).Kind);
    }

    [TestMethod]
    public void Decode_Empty_IsEmpty() => Assert.AreEqual(RevertKind.Empty, RevertReason.Decode([]).Kind);

    private static ErrorABI Error(string signature) => new ABIStringSignatureDeserialiser().ExtractContractABI([signature]).Errors[0];

    private static byte[] Encode(ErrorABI error, params object[] values) =>
        new FunctionCallEncoder().EncodeRequest(error.Sha3Signature, error.InputParameters, values).HexToByteArray();

    private static string Word(int value) => value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
}
