using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using BcInt = Org.BouncyCastle.Math.BigInteger;
using NetInt = System.Numerics.BigInteger;

namespace Predictive.Chain.Crypto;

/// <summary>
/// secp256k1 signing and public-key recovery. BouncyCastle supplies the curve arithmetic and the RFC 6979 nonce;
/// the signing equation is written out here because BouncyCastle's signer does not report the recovery id.
/// </summary>
public static class Secp256k1
{
    private static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    private static readonly BcInt N = Parameters.N;
    private static readonly BcInt BcHalfN = N.ShiftRight(1);
    private static readonly BcInt FieldSize = Parameters.Curve.Field.Characteristic;
    private static readonly FixedPointCombMultiplier Multiplier = new();

    /// <summary>The group order n.</summary>
    public static NetInt Order { get; } = ToNet(N);

    /// <summary>n / 2, the largest s a low-s signature may have.</summary>
    public static NetInt HalfOrder { get; } = ToNet(BcHalfN);

    internal static ECPoint G => Parameters.G;

    /// <summary>
    /// Signs a 32-byte message hash with a deterministic RFC 6979 (HMAC-SHA256) nonce, normalizes s to the lower half and returns the recovery id.
    /// </summary>
    internal static EcdsaSignature Sign(ReadOnlySpan<byte> hash, BcInt privateScalar)
    {
        RequireHash(hash);
        var hashBytes = hash.ToArray();
        var e = new BcInt(1, hashBytes);
        var nonces = new HMacDsaKCalculator(new Sha256Digest());
        nonces.Init(N, privateScalar, hashBytes);
        while (true)
        {
            var k = nonces.NextK();
            var point = Multiplier.Multiply(G, k).Normalize();
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(N);
            if (r.SignValue == 0)
            {
                continue;
            }

            var s = k.ModInverse(N).Multiply(e.Add(privateScalar.Multiply(r))).Mod(N);
            if (s.SignValue == 0)
            {
                continue;
            }

            var recoveryId = (point.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(N) >= 0 ? 2 : 0);
            if (s.CompareTo(BcHalfN) > 0)
            {
                // Negating s mirrors the nonce point, which flips its y parity.
                s = N.Subtract(s);
                recoveryId ^= 1;
            }

            return new EcdsaSignature(ToNet(r), ToNet(s), recoveryId);
        }
    }

    /// <summary>
    /// Recovers the 64-byte uncompressed public key (x ‖ y, no 0x04 prefix) that made <paramref name="signature"/> over <paramref name="hash"/> (SEC 1 §4.1.6).
    /// </summary>
    /// <exception cref="ArgumentException">The signature is out of range or no key can be recovered from it.</exception>
    public static byte[] RecoverPublicKey(ReadOnlySpan<byte> hash, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        RequireHash(hash);
        var r = ToBc(signature.R);
        var s = ToBc(signature.S);
        if (r.SignValue <= 0 || r.CompareTo(N) >= 0 || s.SignValue <= 0 || s.CompareTo(N) >= 0)
        {
            throw new ArgumentException("Signature r and s must lie in [1, n-1].", nameof(signature));
        }

        if (signature.RecoveryId is < 0 or > 3)
        {
            throw new ArgumentException($"Recovery id {signature.RecoveryId} is not in 0..3.", nameof(signature));
        }

        var x = r.Add(N.Multiply(BcInt.ValueOf(signature.RecoveryId >> 1)));
        if (x.CompareTo(FieldSize) >= 0)
        {
            throw new ArgumentException("Signature recovery id points outside the field.", nameof(signature));
        }

        var encoded = new byte[33];
        encoded[0] = (byte)((signature.RecoveryId & 1) == 1 ? 0x03 : 0x02);
        x.ToByteArrayUnsigned().CopyTo(encoded, 33 - x.ToByteArrayUnsigned().Length);
        ECPoint noncePoint;
        try
        {
            noncePoint = Parameters.Curve.DecodePoint(encoded);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException("Signature r is not the x coordinate of a curve point.", nameof(signature));
        }

        var e = new BcInt(1, hash.ToArray());
        var rInverse = r.ModInverse(N);
        var u1 = N.Subtract(e.Mod(N)).Multiply(rInverse).Mod(N);
        var u2 = s.Multiply(rInverse).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(G, u1, noncePoint, u2).Normalize();
        if (q.IsInfinity)
        {
            throw new ArgumentException("Signature recovers to the point at infinity.", nameof(signature));
        }

        return q.GetEncoded(false)[1..];
    }

    internal static byte[] PublicKeyOf(BcInt privateScalar) => Multiplier.Multiply(G, privateScalar).Normalize().GetEncoded(false)[1..];

    internal static bool IsValidScalar(BcInt scalar) => scalar.SignValue > 0 && scalar.CompareTo(N) < 0;

    private static void RequireHash(ReadOnlySpan<byte> hash)
    {
        if (hash.Length != 32)
        {
            throw new ArgumentException($"A message hash has 32 bytes, not {hash.Length}.", nameof(hash));
        }
    }

    private static NetInt ToNet(BcInt value) => new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);

    private static BcInt ToBc(NetInt value) =>
        value.Sign < 0 ? BcInt.ValueOf(-1) : new BcInt(1, value.IsZero ? [0] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
