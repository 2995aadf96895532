using System.Numerics;

namespace Predictive.Chain.Venue;

/// <summary>How a token amount is rounded when it becomes a whole number of base units.</summary>
public enum UnitRounding
{
    /// <summary>Toward zero: amounts spent (never more than asked or held).</summary>
    Down,

    /// <summary>Away from zero: minimum outputs (never accept less than asked).</summary>
    Up,
}

/// <summary>
/// Converts between base units on chain (uint256 as <see cref="BigInteger"/>) and token units as <see cref="decimal"/>
/// (the currency of <c>Predictive.Core</c>), with the token's decimals.
/// </summary>
/// <remarks>
/// To units: exact while the base-unit amount is below 2⁹⁶ (decimal's mantissa); a larger amount is truncated toward
/// zero to decimal's 28–29 significant digits. To base units: exact arithmetic on the decimal's mantissa and scale, then
/// rounded as the caller asks (<see cref="UnitRounding.Down"/> for inputs, <see cref="UnitRounding.Up"/> for minimum outputs).
/// </remarks>
public static class TokenAmounts
{
    private static readonly BigInteger DecimalMantissaLimit = BigInteger.Pow(2, 96);

    /// <summary>Base units → token units.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The decimals are outside 0–77, or the amount is negative.</exception>
    public static decimal ToUnits(BigInteger raw, int decimals)
    {
        CheckDecimals(decimals);
        ArgumentOutOfRangeException.ThrowIfNegative(raw.Sign, nameof(raw));
        var scale = decimals;
        while (raw >= DecimalMantissaLimit || scale > 28)
        {
            // Dropping a digit of precision (truncating) is the only way a uint256 fits decimal's 96-bit mantissa.
            raw /= 10;
            scale--;
        }

        var value = (decimal)raw;
        if (scale >= 0)
        {
            return value / Pow10Decimal(scale);
        }

        var result = value;
        for (var i = 0; i < -scale; i++)
        {
            result = checked(result * 10);
        }

        return result;
    }

    /// <summary>Token units → base units, rounded as <paramref name="rounding"/> says.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The amount is negative or the decimals are outside 0–77.</exception>
    public static BigInteger ToRaw(decimal units, int decimals, UnitRounding rounding)
    {
        CheckDecimals(decimals);
        if (units < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(units), units, "A token amount cannot be negative.");
        }

        var bits = decimal.GetBits(units);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        var numerator = mantissa * BigInteger.Pow(10, decimals);
        var denominator = BigInteger.Pow(10, scale);
        var quotient = BigInteger.DivRem(numerator, denominator, out var remainder);
        return rounding == UnitRounding.Up && !remainder.IsZero ? quotient + 1 : quotient;
    }

    private static decimal Pow10Decimal(int scale)
    {
        var p = 1m;
        for (var i = 0; i < scale; i++)
        {
            p *= 10;
        }

        return p;
    }

    private static void CheckDecimals(int decimals)
    {
        if (decimals is < 0 or > 77)
        {
            throw new ArgumentOutOfRangeException(nameof(decimals), decimals, "Token decimals must be between 0 and 77.");
        }
    }
}
