using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;
using Predictive.Chain.Rlp;

namespace Predictive.Chain.Transactions;

/// <summary>A signed transaction: its fields, signature, raw encoding, hash and sender.</summary>
public sealed class SignedTransaction
{
    internal SignedTransaction(UnsignedTransaction transaction, EcdsaSignature signature, byte[] raw, EthAddress sender)
    {
        Transaction = transaction;
        Signature = signature;
        Raw = raw;
        Sender = sender;
        Hash = Keccak256.Hash(raw);
    }

    /// <summary>The unsigned fields.</summary>
    public UnsignedTransaction Transaction { get; }

    /// <summary>The signature.</summary>
    public EcdsaSignature Signature { get; }

    /// <summary>The raw bytes sent with eth_sendRawTransaction.</summary>
    public byte[] Raw { get; }

    /// <summary>The transaction hash, Keccak-256 of <see cref="Raw"/>.</summary>
    public byte[] Hash { get; }

    /// <summary>The sender recovered from (or used to make) the signature.</summary>
    public EthAddress Sender { get; }

    /// <summary>The raw bytes as 0x hex.</summary>
    public string RawHex => Hex.Encode(Raw);

    /// <summary>The hash as 0x hex.</summary>
    public string HashHex => Hex.Encode(Hash);

    /// <summary>
    /// Decodes a raw legacy (EIP-155 or pre-EIP-155) or type-2 transaction and recovers its sender from the signature.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not a supported, well-formed signed transaction.</exception>
    public static SignedTransaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty)
        {
            throw new FormatException("A raw transaction cannot be empty.");
        }

        return raw[0] switch
        {
            Eip1559Transaction.TypeByte => DecodeEip1559(raw),
            >= 0xc0 => DecodeLegacy(raw),
            var type => throw new FormatException($"Transaction type 0x{type:x2} is not supported (legacy and type 2 are)."),
        };
    }

    private static SignedTransaction DecodeLegacy(ReadOnlySpan<byte> raw)
    {
        var list = RequireList(RlpDecoder.Decode(raw), 9, "legacy");
        var v = Int(list, 6);
        BigInteger chainId;
        int parity;
        if (v == 27 || v == 28)
        {
            throw new FormatException("Pre-EIP-155 transactions (v = 27/28) carry no chain id and are not accepted.");
        }

        if (v < 35)
        {
            throw new FormatException($"Legacy transaction v = {v} is neither 27/28 nor an EIP-155 value.");
        }

        chainId = (v - 35) / 2;
        parity = (int)((v - 35) % 2);
        var transaction = new LegacyTransaction
        {
            Nonce = Int(list, 0), GasPrice = Int(list, 1), GasLimit = Int(list, 2), To = Address(list, 3),
            Value = Int(list, 4), Data = list.StringAt(5).Value, ChainId = chainId,
        };
        var signature = new EcdsaSignature(Int(list, 7), Int(list, 8), parity);
        return Recover(transaction, signature, raw.ToArray());
    }

    private static SignedTransaction DecodeEip1559(ReadOnlySpan<byte> raw)
    {
        var list = RequireList(RlpDecoder.Decode(raw[1..]), 12, "type 2");
        var yParity = Int(list, 9);
        if (yParity > 1)
        {
            throw new FormatException($"Type 2 transaction y parity is {yParity}, not 0 or 1.");
        }

        var accessList = list.ListAt(8).Items.Select((item, i) =>
        {
            var entry = item as RlpList ?? throw new FormatException($"Access list entry {i} is not a list.");
            var address = entry.Items.Count == 2 ? Address(entry, 0) : null;
            return new AccessListEntry(
                address ?? throw new FormatException($"Access list entry {i} has no address."),
                [.. entry.ListAt(1).Items.Select(k => k is RlpString { Value.Length: 32 } s ? s.Value : throw new FormatException($"Access list entry {i} has a storage key that is not 32 bytes."))]);
        }).ToList();
        var transaction = new Eip1559Transaction
        {
            ChainId = Int(list, 0), Nonce = Int(list, 1), MaxPriorityFeePerGas = Int(list, 2), MaxFeePerGas = Int(list, 3),
            GasLimit = Int(list, 4), To = Address(list, 5), Value = Int(list, 6), Data = list.StringAt(7).Value, AccessList = accessList,
        };
        var signature = new EcdsaSignature(Int(list, 10), Int(list, 11), (int)yParity);
        return Recover(transaction, signature, raw.ToArray());
    }

    private static SignedTransaction Recover(UnsignedTransaction transaction, EcdsaSignature signature, byte[] raw)
    {
        if (!signature.IsLowS)
        {
            throw new FormatException("Transaction signature has a high s value (rejected since Homestead).");
        }

        try
        {
            var publicKey = Secp256k1.RecoverPublicKey(transaction.SigningHash(), signature);
            return new SignedTransaction(transaction, signature, raw, EthAddress.FromPublicKey(publicKey));
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"Transaction signature is invalid: {e.Message}", e);
        }
    }

    private static RlpList RequireList(RlpItem item, int count, string kind) =>
        item is RlpList list && list.Items.Count == count
            ? list
            : throw new FormatException($"A signed {kind} transaction is an RLP list of {count} items.");

    private static BigInteger Int(RlpList list, int index) => list.StringAt(index).ToInteger();

    private static EthAddress? Address(RlpList list, int index)
    {
        var bytes = list.StringAt(index).Value;
        return bytes.Length switch
        {
            0 => null,
            20 => EthAddress.FromBytes(bytes),
            _ => throw new FormatException($"Transaction field {index} is {bytes.Length} bytes; an address has 20."),
        };
    }
}
