using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rlp;

namespace Predictive.Chain.Transactions;

/// <summary>A legacy (type 0) transaction with EIP-155 replay protection: v = recovery id + 2·chainId + 35.</summary>
public sealed record LegacyTransaction : UnsignedTransaction
{
    /// <summary>The gas price in wei per gas unit.</summary>
    public required BigInteger GasPrice { get; init; }

    /// <summary>RLP([nonce, gasPrice, gas, to, value, data, chainId, 0, 0]).</summary>
    public override byte[] SigningPayload() =>
        RlpEncoder.Encode(RlpItem.List([.. Fields(), RlpItem.Number(ChainId), RlpItem.Number(0), RlpItem.Number(0)]));

    internal override byte[] EncodeSigned(EcdsaSignature signature)
    {
        var v = ChainId * 2 + 35 + signature.YParity;
        return RlpEncoder.Encode(RlpItem.List([.. Fields(), RlpItem.Number(v), RlpItem.Number(signature.R), RlpItem.Number(signature.S)]));
    }

    private protected override void Validate()
    {
        base.Validate();
        RequireNonNegative(GasPrice, nameof(GasPrice));
    }

    private RlpItem[] Fields() =>
        [RlpItem.Number(Nonce), RlpItem.Number(GasPrice), RlpItem.Number(GasLimit), ToField(), RlpItem.Number(Value), RlpItem.Bytes(Data)];
}
