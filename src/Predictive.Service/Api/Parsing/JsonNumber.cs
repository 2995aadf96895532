namespace Predictive.Service.Api.Parsing;

/// <summary>
/// Converts the bytes of a JSON number token (already checked by the reader) to the nearest double. Numbers with at
/// most 15 significant digits and a decimal exponent within ±22 take Clinger's fast path: the digits as an exact
/// integer, multiplied or divided by an exact power of ten, so one correctly rounded operation gives the same double
/// as a full parser. That covers the numbers clients send (<c>-0.123456</c>); anything else returns false and the
/// caller uses the reader's own conversion.
/// </summary>
internal static class JsonNumber
{
    private const int MaxDigits = 15;
    private const int MaxExponent = 22;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public static bool TryParse(ReadOnlySpan<byte> number, out double value)
    {
        value = 0;
        var i = 0;
        var negative = number.Length > 0 && number[0] == (byte)'-';
        if (negative)
        {
            i = 1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var exponent = 0;
        for (; i < number.Length && IsDigit(number[i]); i++)
        {
            if (!Append(ref mantissa, ref digits, number[i]))
            {
                return false;
            }
        }

        if (i < number.Length && number[i] == (byte)'.')
        {
            for (i++; i < number.Length && IsDigit(number[i]); i++)
            {
                if (!Append(ref mantissa, ref digits, number[i]))
                {
                    return false;
                }

                exponent--;
            }
        }

        if (i < number.Length)
        {
            // 'e' or 'E', an optional sign, digits (the reader has checked the grammar).
            i++;
            var negativeExponent = number[i] == (byte)'-';
            if (number[i] is (byte)'-' or (byte)'+')
            {
                i++;
            }

            var written = 0;
            for (; i < number.Length; i++)
            {
                written = (written * 10) + (number[i] - '0');
                if (written > 1000)
                {
                    return false;
                }
            }

            exponent += negativeExponent ? -written : written;
        }

        if (mantissa == 0)
        {
            value = negative ? -0.0 : 0.0;
            return true;
        }

        if (exponent is < -MaxExponent or > MaxExponent)
        {
            return false;
        }

        var magnitude = exponent < 0 ? mantissa / PowersOfTen[-exponent] : mantissa * PowersOfTen[exponent];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>Appends a digit; false past <see cref="MaxDigits"/> significant digits (leading zeros do not count).</summary>
    private static bool Append(ref ulong mantissa, ref int digits, byte digit)
    {
        mantissa = (mantissa * 10) + (uint)(digit - '0');
        if (mantissa != 0)
        {
            digits++;
        }

        return digits <= MaxDigits;
    }
}
