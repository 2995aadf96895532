using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// Checks the grammar of a JSON number and converts it in the same pass. Fraction digits are taken eight at a time
/// (one 8-byte load, a digit test per byte without carries, three multiplies to combine them). When the digits form an
/// integer of at most 2^53 and the decimal exponent is within ±22, Clinger's fast path applies: both are exact
/// doubles, so one correctly rounded multiply or divide gives the same double as a full parser. That covers the
/// numbers clients send (<c>-0.123456</c>); anything else goes to the runtime's parser, so every result is the one
/// <see cref="Utf8Parser"/> (and so <c>Utf8JsonReader.TryGetDouble</c>) gives.
/// </summary>
internal static class JsonNumber
{
    // At most 19 digits fit a ulong whatever they are (10^19 - 1 < 2^64).
    private const int MaxDigits = 19;
    private const int MaxExponent = 22;
    private const ulong MaxExactMantissa = 1UL << 53;
    private const ulong Zeros = 0x3030303030303030;

    private static ReadOnlySpan<double> PowersOfTen =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    private static ReadOnlySpan<ulong> Scales => [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    /// <summary>
    /// Reads the number that starts at <paramref name="i"/> (<c>-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</c>)
    /// and returns the offset just past it; what follows is the caller's to check (a number that reaches the end of the
    /// data may still be growing). When the grammar breaks it returns the complement (<c>~offset</c>, negative) of
    /// where: at or past the end of the data when more bytes might have completed the number.
    /// </summary>
    /// <remarks>Positions are passed by value, not by reference, so that they stay in registers in the hot loops.</remarks>
    public static int Scan(ReadOnlySpan<byte> json, int i, out double value)
    {
        value = 0;
        if (i >= json.Length)
        {
            return ~i;
        }

        // Signs are random in real data: no branch on them (a mispredicted one costs more than the whole number).
        var negative = json[i] == (byte)'-' ? 1 : 0;
        var k = i + negative;

        uint d;
        if (k >= json.Length || (d = (uint)(json[k] - '0')) > 9)
        {
            return ~k;
        }

        k++;
        ulong mantissa = d;

        // Significant digits taken so far (an upper bound: a chunk of fraction digits counts whole).
        var digits = d == 0 ? 0 : 1;
        if (d != 0)
        {
            for (; k < json.Length && (d = (uint)(json[k] - '0')) <= 9; k++)
            {
                digits++;
                mantissa = digits <= MaxDigits ? (mantissa * 10) + d : mantissa;
            }
        }

        var exponent = 0;
        if (k < json.Length && json[k] == (byte)'.')
        {
            var fraction = ++k;
            while (BitConverter.IsLittleEndian && k + sizeof(ulong) <= json.Length)
            {
                // Bytes '0'..'9' become 0..9; a byte is a non-digit when its top bit is set or adding 0x76 to its
                // low seven bits reaches 0x80 (it was above 9). No byte's sum carries into the next.
                var x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetReference(json), k)) ^ Zeros;
                var nonDigits = (x | ((x & 0x7F7F7F7F7F7F7F7F) + 0x7676767676767676)) & 0x8080808080808080;
                var n = BitOperations.TrailingZeroCount(nonDigits) >> 3;
                if (n > 0)
                {
                    // Shifting the n digits to the top leaves zero bytes below them: leading zeros of 8 digits.
                    digits = mantissa == 0 ? n : digits + n;
                    mantissa = digits <= MaxDigits ? (mantissa * Scales[n]) + EightDigits(x << (8 * (8 - n))) : mantissa;
                    k += n;
                }

                if (n < 8)
                {
                    goto FractionDone;
                }
            }

            for (; k < json.Length && (d = (uint)(json[k] - '0')) <= 9; k++)
            {
                digits = mantissa == 0 ? 1 : digits + 1;
                mantissa = digits <= MaxDigits ? (mantissa * 10) + d : mantissa;
            }

        FractionDone:
            if (k == fraction)
            {
                return ~k;
            }

            exponent = fraction - k;
        }

        if (k < json.Length && (json[k] | 0x20) == (byte)'e')
        {
            var (end, written) = ScanExponent(json, k + 1);
            if (end < 0)
            {
                return end;
            }

            k = end;
            exponent += written;
        }

        if (mantissa == 0)
        {
            // Every digit was zero (a mantissa past MaxDigits digits is kept non-zero): 0 or -0, whatever the exponent.
            value = WithSign(0.0, negative);
            return k;
        }

        if (digits <= MaxDigits && mantissa <= MaxExactMantissa && exponent is >= -MaxExponent and <= MaxExponent)
        {
            double m = mantissa;
            var magnitude = exponent < 0 ? m / PowersOfTen[-exponent] : m * PowersOfTen[exponent];
            value = WithSign(magnitude, negative);
            return k;
        }

        return Convert(json, i, k, out value);
    }

    /// <summary>
    /// The number that is exactly <c>json[start..end]</c> when it has the common short shape <c>-?d.f</c> (one
    /// integer digit, one to eight fraction digits, at least eight bytes readable from the fraction); NaN (which no
    /// JSON number gives) for any other shape or bytes, which <see cref="Scan"/> then reads. Knowing where the number
    /// ends (from the delimiter) lets the fraction be checked with one mask instead of found digit by digit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double ParseShort(ReadOnlySpan<byte> json, int start, int end)
    {
        // With start <= end < length and s + 10 <= length checked, every read below is within the data.
        if ((uint)start > (uint)end || (uint)end >= (uint)json.Length || !BitConverter.IsLittleEndian)
        {
            return double.NaN;
        }

        ref var first = ref MemoryMarshal.GetReference(json);
        var negative = Unsafe.Add(ref first, start) == (byte)'-' ? 1 : 0;
        var s = start + negative;
        var fraction = end - s - 2;
        if ((uint)(fraction - 1) >= 8 || s + 2 + sizeof(ulong) > json.Length)
        {
            return double.NaN;
        }

        // The integer digit and the '.' in one test: ('.' << 8 | '0'..'9') - 0x2E30 is 0..9, any other pair is not.
        var integer = (uint)(ushort)(Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, s)) - 0x2E30);
        if (integer > 9)
        {
            return double.NaN;
        }

        var x = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, s + 2)) ^ Zeros;
        var nonDigits = (x | ((x & 0x7F7F7F7F7F7F7F7F) + 0x7676767676767676)) & 0x8080808080808080;
        var shift = 8 * (8 - fraction);
        if ((nonDigits << shift) != 0)
        {
            return double.NaN;
        }

        // At most 9 digits: exact as a double, and so is 10^fraction; one division rounds correctly (Clinger).
        var mantissa = (long)((integer * Unsafe.Add(ref MemoryMarshal.GetReference(Scales), fraction)) + EightDigits(x << shift));
        return WithSign(mantissa / Unsafe.Add(ref MemoryMarshal.GetReference(PowersOfTen), fraction), negative);
    }

    /// <summary>Sets the sign bit of a positive <paramref name="magnitude"/> when <paramref name="negative"/> is 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double WithSign(double magnitude, int negative) =>
        BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(magnitude) | ((long)negative << 63));

    /// <summary>Converts a whole number token (as <c>Utf8JsonReader</c> delivers it) to the nearest double.</summary>
    public static bool TryParse(ReadOnlySpan<byte> token, out double value) => Scan(token, 0, out value) == token.Length;

    /// <summary>The runtime's conversion, for numbers outside the fast path (their grammar already checked).</summary>
    private static int Convert(ReadOnlySpan<byte> json, int start, int end, out double value) =>
        Utf8Parser.TryParse(json[start..end], out value, out var used) && used == end - start ? end : ~start;

    /// <summary>Eight digit values (0..9, the first in the lowest byte) as the number they spell.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong x)
    {
        x = (x * 2561) >> 8;
        x = ((x & 0x00FF00FF00FF00FF) * 6553601) >> 16;
        return ((x & 0x0000FFFF0000FFFF) * 42949672960001) >> 32;
    }

    /// <summary>
    /// Reads <c>[+-]?[0-9]+</c> from <paramref name="k"/> (after the 'e'): the offset past it (or the complement of
    /// where it broke) and its value, capped far outside the fast path, which is all the value is used for.
    /// </summary>
    private static (int End, int Value) ScanExponent(ReadOnlySpan<byte> json, int k)
    {
        var negative = k < json.Length && json[k] == (byte)'-';
        if (k < json.Length && json[k] is (byte)'-' or (byte)'+')
        {
            k++;
        }

        uint d;
        if (k >= json.Length || (uint)(json[k] - '0') > 9)
        {
            return (~k, 0);
        }

        var written = 0;
        for (; k < json.Length && (d = (uint)(json[k] - '0')) <= 9; k++)
        {
            written = written < 100_000 ? (written * 10) + (int)d : written;
        }

        return (k, negative ? -written : written);
    }
}
