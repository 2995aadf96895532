using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.Signer;
using Nethereum.Util;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Transactions;

/// <summary>
/// The fields of an EIP-1559 (type 2) transaction as the manager chooses them. Encoding and signing are Nethereum's
/// (<see cref="Transaction1559"/>, <see cref="Transaction1559Signer"/>); this record only checks the fields first.
/// </summary>
public sealed record Eip1559Transaction
{
    /// <summary>The chain id (EIP-155 replay protection).</summary>
    public required BigInteger ChainId { get; init; }

    /// <summary>The sender's nonce.</summary>
    public required BigInteger Nonce { get; init; }

    /// <summary>The tip per gas unit, in wei.</summary>
    public required BigInteger MaxPriorityFeePerGas { get; init; }

    /// <summary>The most paid per gas unit (base fee + tip), in wei.</summary>
    public required BigInteger MaxFeePerGas { get; init; }

    /// <summary>The gas limit.</summary>
    public required BigInteger GasLimit { get; init; }

    /// <summary>The recipient; null deploys <see cref="Data"/> as init code.</summary>
    public EthAddress? To { get; init; }

    /// <summary>Wei sent.</summary>
    public BigInteger Value { get; init; }

    /// <summary>Call data or init code.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>Signs with <paramref name="key"/>: the raw bytes to broadcast and their hash.</summary>
    /// <exception cref="InvalidOperationException">A field is negative, or the tip exceeds the max fee (nodes reject it).</exception>
    public SignedRawTransaction Sign(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var (name, value) in new[] { (nameof(ChainId), ChainId), (nameof(Nonce), Nonce), (nameof(MaxPriorityFeePerGas), MaxPriorityFeePerGas), (nameof(MaxFeePerGas), MaxFeePerGas), (nameof(GasLimit), GasLimit), (nameof(Value), Value) })
        {
            if (value.Sign < 0)
            {
                throw new InvalidOperationException($"Transaction {name} is negative ({value}).");
            }
        }

        if (MaxPriorityFeePerGas > MaxFeePerGas)
        {
            throw new InvalidOperationException($"Transaction MaxPriorityFeePerGas ({MaxPriorityFeePerGas}) exceeds MaxFeePerGas ({MaxFeePerGas}); nodes reject it.");
        }

        var transaction = new Transaction1559(
            ChainId, Nonce, MaxPriorityFeePerGas, MaxFeePerGas, GasLimit, To?.ToString(), Value, Data.ToHex(prefix: true), []);
        var raw = new Transaction1559Signer().SignTransaction(key.EcKey, transaction).HexToByteArray();
        return new SignedRawTransaction(raw, Sha3Keccack.Current.CalculateHash(raw).ToHex(prefix: true));
    }
}

/// <summary>A signed transaction as broadcast.</summary>
/// <param name="Raw">The exact signed bytes (EIP-2718 envelope).</param>
/// <param name="HashHex">Keccak-256 of <paramref name="Raw"/>, 0x hex: the transaction hash.</param>
public sealed record SignedRawTransaction(byte[] Raw, string HashHex)
{
    /// <summary>The sender recovered from the signature of <paramref name="raw"/> (Nethereum's decoder and recovery).</summary>
    /// <exception cref="FormatException">The bytes are not a signed transaction.</exception>
    public static EthAddress RecoverSender(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        try
        {
            return EthAddress.Parse(AddressUtil.Current.ConvertToChecksumAddress(TransactionVerificationAndRecovery.GetSenderAddress(raw.ToHex(prefix: true))));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new FormatException($"The {raw.Length} bytes are not a signed transaction: {e.Message}", e);
        }
    }
}
