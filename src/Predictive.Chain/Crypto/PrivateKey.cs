using System.Security.Cryptography;
using BcInt = Org.BouncyCastle.Math.BigInteger;

namespace Predictive.Chain.Crypto;

/// <summary>
/// A secp256k1 private key. Its value never appears in <see cref="ToString"/>, exception messages or logs;
/// only the derived address is shown.
/// </summary>
public sealed class PrivateKey
{
    private readonly byte[] _secret;
    private readonly BcInt _scalar;
    private readonly Lazy<byte[]> _publicKey;
    private readonly Lazy<EthAddress> _address;

    private PrivateKey(byte[] secret, BcInt scalar)
    {
        _secret = secret;
        _scalar = scalar;
        _publicKey = new Lazy<byte[]>(() => Secp256k1.PublicKeyOf(_scalar));
        _address = new Lazy<EthAddress>(() => EthAddress.FromPublicKey(_publicKey.Value));
    }

    /// <summary>The 64-byte uncompressed public key (x ‖ y).</summary>
    public byte[] PublicKey => (byte[])_publicKey.Value.Clone();

    /// <summary>The account address of this key.</summary>
    public EthAddress Address => _address.Value;

    /// <summary>Creates a key from its 32 big-endian bytes.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes, or not in [1, n-1]. The message never includes the value.</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != 32)
        {
            throw new ArgumentException($"A private key has 32 bytes, not {secret.Length}.", nameof(secret));
        }

        var copy = secret.ToArray();
        var scalar = new BcInt(1, copy);
        if (!Secp256k1.IsValidScalar(scalar))
        {
            throw new ArgumentException("A private key must lie in [1, n-1] of secp256k1.", nameof(secret));
        }

        return new PrivateKey(copy, scalar);
    }

    /// <summary>Creates a key from 64 hex digits, with or without 0x.</summary>
    /// <exception cref="ArgumentException">The text is not a valid key. The message never includes the text.</exception>
    public static PrivateKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        byte[] bytes;
        try
        {
            bytes = Primitives.Hex.Decode(hex);
        }
        catch (FormatException)
        {
            throw new ArgumentException("A private key must be 64 hex digits (the value is not shown).", nameof(hex));
        }

        try
        {
            return FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Creates a fresh random key from the operating system's CSPRNG.</summary>
    public static PrivateKey Generate()
    {
        var buffer = new byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(buffer);
            var scalar = new BcInt(1, buffer);
            if (Secp256k1.IsValidScalar(scalar))
            {
                return new PrivateKey(buffer, scalar);
            }
        }
    }

    /// <summary>Signs a 32-byte hash (RFC 6979 nonce, low s, with recovery id).</summary>
    public EcdsaSignature Sign(ReadOnlySpan<byte> hash) => Secp256k1.Sign(hash, _scalar);

    /// <summary>A copy of the 32 secret bytes. Sensitive: zero the copy when done and never log it.</summary>
    public byte[] ExportSecret() => (byte[])_secret.Clone();

    /// <summary>Shows the address only; the key itself is redacted.</summary>
    public override string ToString() => $"PrivateKey([redacted], address {Address})";
}
