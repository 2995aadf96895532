using Nethereum.Hex.HexConvertors.Extensions;
using System.Numerics;
using System.Security.Cryptography;
using Nethereum.Signer;

namespace Predictive.Chain.Crypto;

/// <summary>
/// A secp256k1 private key (Nethereum's <see cref="EthECKey"/>) whose <see cref="ToString"/> never shows the secret.
/// The secret is checked to lie in [1, n−1] before the library sees it.
/// </summary>
public sealed class PrivateKey
{
    /// <summary>The order n of the secp256k1 group.</summary>
    private static readonly BigInteger CurveOrder = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    private readonly byte[] _secret;
    private readonly Lazy<EthAddress> _address;

    /// <summary>
    /// Turns on Nethereum's recoverable signer (process-wide), which computes the recovery id while signing. The default
    /// finds it by trial public-key recovery: on the dev machine about 10× slower and 3.3 MB of garbage per signature.
    /// Both give the same RFC 6979 bytes (test <c>Sign_RecoverableSignerSwitch_GivesTheSameBytes</c>).
    /// </summary>
    static PrivateKey() => EthECKey.SignRecoverable = true;

    private PrivateKey(byte[] secret)
    {
        _secret = secret;
        EcKey = new EthECKey(secret, isPrivate: true);
        _address = new Lazy<EthAddress>(() => EthAddress.FromBytes(EcKey.GetPublicAddressAsBytes()));
    }

    /// <summary>The 64-byte uncompressed public key (x ‖ y, no 0x04 prefix).</summary>
    public byte[] PublicKey => EcKey.GetPubKeyNoPrefix(false);

    /// <summary>The account address.</summary>
    public EthAddress Address => _address.Value;

    /// <summary>The library key that signs (kept inside the chain layer).</summary>
    internal EthECKey EcKey { get; }

    /// <summary>A key from its 32 secret bytes.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes, or not in [1, n−1] (the value is not shown).</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> secret)
    {
        if (secret.Length != 32)
        {
            throw new ArgumentException($"A private key has 32 bytes, not {secret.Length}.", nameof(secret));
        }

        var scalar = new BigInteger(secret, isUnsigned: true, isBigEndian: true);
        if (scalar.IsZero || scalar >= CurveOrder)
        {
            throw new ArgumentException("A private key must lie in [1, n-1] of secp256k1.", nameof(secret));
        }

        return new PrivateKey(secret.ToArray());
    }

    /// <summary>A key from 64 hex digits (0x optional).</summary>
    /// <exception cref="ArgumentException">Not a valid key (the value is not shown).</exception>
    public static PrivateKey FromHex(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        byte[] bytes;
        try
        {
            // Nethereum's decoder reads an odd digit count as a leading nibble; a key must have exactly 64 digits.
            bytes = hex.Length - (hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? 2 : 0) == 64
                ? hex.HexToByteArray()
                : throw new FormatException();
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

    /// <summary>A fresh random key.</summary>
    public static PrivateKey Generate()
    {
        var buffer = new byte[32];
        while (true)
        {
            RandomNumberGenerator.Fill(buffer);
            var scalar = new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
            if (!scalar.IsZero && scalar < CurveOrder)
            {
                return new PrivateKey(buffer);
            }
        }
    }

    /// <summary>A copy of the 32 secret bytes (for a keystore writer; zero it after use).</summary>
    public byte[] ExportSecret() => (byte[])_secret.Clone();

    /// <summary>Never the secret.</summary>
    public override string ToString() => $"PrivateKey([redacted], address {Address})";
}
