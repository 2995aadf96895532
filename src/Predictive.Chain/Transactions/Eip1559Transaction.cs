using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rlp;

namespace Predictive.Chain.Transactions;

/// <summary>An EIP-1559 (type 2) transaction: 0x02 ‖ RLP([chainId, nonce, maxPriorityFee, maxFee, gas, to, value, data, accessList, yParity, r, s]).</summary>
public sealed record Eip1559Transaction : UnsignedTransaction
{
    /// <summary>The EIP-2718 type byte.</summary>
    public const byte TypeByte = 0x02;

    /// <summary>The tip per gas unit, in wei.</summary>
    public required BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>The most paid per gas unit (base fee + tip), in wei.</summary>
    public required BigInteger MaxFeePerGas { get; init; }

    /// <summary>The EIP-2930 access list (empty by default).</summary>
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <summary>0x02 ‖ RLP of the nine unsigned fields.</summary>
    public override byte[] SigningPayload() => Envelope(RlpItem.List(Fields()));

    internal override byte[] EncodeSigned(EcdsaSignature signature) =>
        Envelope(RlpItem.List([.. Fields(), RlpItem.Number(signature.YParity), RlpItem.Number(signature.R), RlpItem.Number(signature.S)]));

    private protected override void Validate()
    {
        base.Validate();
        RequireNonNegative(MaxPriorityFeePerGas, nameof(MaxPriorityFeePerGas));
        RequireNonNegative(MaxFeePerGas, nameof(MaxFeePerGas));
        if (MaxPriorityFeePerGas > MaxFeePerGas)
        {
            throw new InvalidOperationException(
                $"Transaction MaxPriorityFeePerGas ({MaxPriorityFeePerGas}) exceeds MaxFeePerGas ({MaxFeePerGas}); nodes reject it.");
        }
    }

    private static byte[] Envelope(RlpItem list)
    {
        var body = RlpEncoder.Encode(list);
        var result = new byte[body.Length + 1];
        result[0] = TypeByte;
        body.CopyTo(result, 1);
        return result;
    }

    private RlpItem[] Fields() =>
    [
        RlpItem.Number(ChainId), RlpItem.Number(Nonce), RlpItem.Number(MaxPriorityFeePerGas), RlpItem.Number(MaxFeePerGas),
        RlpItem.Number(GasLimit), ToField(), RlpItem.Number(Value), RlpItem.Bytes(Data),
        RlpItem.List(AccessList.Select(e => (RlpItem)RlpItem.List(RlpItem.Bytes(e.Address.ToBytes()), RlpItem.List(e.StorageKeys.Select(k => RlpItem.Bytes(k)))))),
    ];
}

/// <summary>One EIP-2930 access-list entry: an address and the 32-byte storage keys it touches.</summary>
/// <param name="Address">The contract address.</param>
/// <param name="StorageKeys">32-byte storage slots.</param>
public sealed record AccessListEntry(EthAddress Address, IReadOnlyList<byte[]> StorageKeys);
