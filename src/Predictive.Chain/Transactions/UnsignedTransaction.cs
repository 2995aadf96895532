using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rlp;

namespace Predictive.Chain.Transactions;

/// <summary>A transaction before signing. Amounts are wei; gas is in gas units.</summary>
public abstract record UnsignedTransaction
{
    /// <summary>The sender's nonce.</summary>
    public required BigInteger Nonce { get; init; }

    /// <summary>The gas limit in gas units.</summary>
    public required BigInteger GasLimit { get; init; }

    /// <summary>The recipient; null creates a contract.</summary>
    public EthAddress? To { get; init; }

    /// <summary>The value sent, in wei.</summary>
    public BigInteger Value { get; init; }

    /// <summary>The call data (or init code when <see cref="To"/> is null).</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The chain id (EIP-155), e.g. 1 for mainnet, 31337 for anvil.</summary>
    public required BigInteger ChainId { get; init; }

    /// <summary>The bytes whose Keccak-256 is signed.</summary>
    public abstract byte[] SigningPayload();

    /// <summary>Keccak-256 of <see cref="SigningPayload"/>.</summary>
    public byte[] SigningHash() => Keccak256.Hash(SigningPayload());

    /// <summary>Signs with <paramref name="key"/> and returns the raw transaction for eth_sendRawTransaction.</summary>
    public SignedTransaction Sign(PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Validate();
        var signature = key.Sign(SigningHash());
        return new SignedTransaction(this, signature, EncodeSigned(signature), key.Address);
    }

    internal abstract byte[] EncodeSigned(EcdsaSignature signature);

    internal RlpItem ToField() => To is null ? RlpItem.Bytes([]) : RlpItem.Bytes(To.ToBytes());

    private protected virtual void Validate()
    {
        RequireNonNegative(Nonce, nameof(Nonce));
        RequireNonNegative(GasLimit, nameof(GasLimit));
        RequireNonNegative(Value, nameof(Value));
        if (ChainId.Sign <= 0)
        {
            throw new InvalidOperationException($"Transaction chain id must be positive, not {ChainId}.");
        }
    }

    private protected static void RequireNonNegative(BigInteger value, string name)
    {
        if (value.Sign < 0)
        {
            throw new InvalidOperationException($"Transaction {name} must not be negative ({value}).");
        }
    }
}
