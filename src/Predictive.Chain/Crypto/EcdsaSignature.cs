using System.Numerics;

namespace Predictive.Chain.Crypto;

/// <summary>
/// A secp256k1 signature with its recovery id (the y parity of the nonce point, plus 2 when its x overflowed the group order).
/// Signatures made here are low-s normalized (s ≤ n/2), as Ethereum requires since Homestead.
/// </summary>
/// <param name="R">The r value, 1 ≤ r &lt; n.</param>
/// <param name="S">The s value, 1 ≤ s &lt; n.</param>
/// <param name="RecoveryId">0 to 3; 0 or 1 in practice.</param>
public sealed record EcdsaSignature(BigInteger R, BigInteger S, int RecoveryId)
{
    /// <summary>The y parity bit used by typed transactions (the low bit of the recovery id).</summary>
    public int YParity => RecoveryId & 1;

    /// <summary>True when s is in the lower half of the group order.</summary>
    public bool IsLowS => S <= Secp256k1.HalfOrder;

    /// <summary>The 65-byte r ‖ s ‖ v form with v = 27 + y parity (as eth_sign and ecrecover use).</summary>
    public byte[] ToRsv()
    {
        var result = new byte[65];
        Primitives.Hex.ToFixedBigEndian(R, 32).CopyTo(result, 0);
        Primitives.Hex.ToFixedBigEndian(S, 32).CopyTo(result, 32);
        result[64] = (byte)(27 + YParity);
        return result;
    }
}
