using System.Globalization;
using System.Numerics;

namespace Predictive.Chain.Primitives;

/// <summary>
/// Hex text as the Ethereum JSON-RPC uses it: byte strings ("DATA", even length) and quantities ("QUANTITY", no leading zeros), both with a 0x prefix.
/// </summary>
public static class Hex
{
    /// <summary>Formats bytes as lower-case hex with a 0x prefix ("0x" for no bytes).</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>Parses hex bytes, with or without a 0x prefix.</summary>
    /// <exception cref="FormatException">The text is not an even number of hex digits.</exception>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = StripPrefix(hex);
        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"Hex data has an odd number of digits ({digits.Length}).");
        }

        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException)
        {
            throw new FormatException("Hex data contains a character that is not a hex digit.");
        }
    }

    /// <summary>Formats a non-negative integer as a JSON-RPC quantity ("0x0", "0x1a").</summary>
    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quantity cannot be negative.");
        }

        var digits = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return digits.Length == 0 ? "0x0" : "0x" + digits;
    }

    /// <summary>Parses a JSON-RPC quantity ("0x1a"). Leading zeros are tolerated because some nodes send them.</summary>
    /// <exception cref="FormatException">The text is not 0x followed by hex digits.</exception>
    public static BigInteger DecodeQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || hex.Length == 2)
        {
            throw new FormatException($"Quantity '{Truncate(hex)}' is not 0x followed by hex digits.");
        }

        if (!BigInteger.TryParse("0" + hex[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"Quantity '{Truncate(hex)}' contains a character that is not a hex digit.");
        }

        return value;
    }

    /// <summary>Big-endian unsigned bytes of a non-negative integer, with no leading zero bytes (zero is empty).</summary>
    public static byte[] ToMinimalBigEndian(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only non-negative integers have an unsigned encoding.");
        }

        return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Big-endian unsigned bytes left-padded with zeros to <paramref name="length"/>.</summary>
    public static byte[] ToFixedBigEndian(BigInteger value, int length)
    {
        var minimal = ToMinimalBigEndian(value);
        if (minimal.Length > length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"The integer does not fit in {length} bytes.");
        }

        var result = new byte[length];
        minimal.CopyTo(result, length - minimal.Length);
        return result;
    }

    /// <summary>Reads big-endian unsigned bytes as an integer.</summary>
    public static BigInteger FromBigEndian(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static string StripPrefix(string hex) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;

    private static string Truncate(string text) => text.Length <= 20 ? text : text[..20] + "…";
}
