using System.Buffers.Text;

namespace Predictive.Service.Api.Parsing;

/// <summary>
/// A direct scanner for the common <c>features</c> value: <c>[[number, …], …]</c> with JSON whitespace and nothing
/// else. It checks the JSON grammar of what it accepts and converts each number as it goes, which is several times
/// cheaper than a reader token per number. Anything else (null rows, strings, NaN, a cut-off end) makes it return
/// false, and the reader parses the value instead, with its exact errors.
/// </summary>
internal static class FeatureRows
{
    /// <summary>
    /// Scans the value that starts at <paramref name="start"/> (after the property name, before or after its colon).
    /// On success appends the values and row widths and returns the offset just after the value.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> json, int start, PooledBuffer<float> values, PooledBuffer<int> widths, out int end, out int width, out bool nonFinite)
    {
        end = 0;
        width = -2;
        nonFinite = false;
        var i = SkipSpace(json, start);
        if (i < json.Length && json[i] == (byte)':')
        {
            i = SkipSpace(json, i + 1);
        }

        if (i >= json.Length || json[i] != (byte)'[')
        {
            return false;
        }

        i = SkipSpace(json, i + 1);
        if (i < json.Length && json[i] == (byte)']')
        {
            end = i + 1;
            width = 0;
            return true;
        }

        while (true)
        {
            if (i >= json.Length || json[i] != (byte)'[')
            {
                return false;
            }

            var rowStart = values.Count;
            i = SkipSpace(json, i + 1);
            if (i < json.Length && json[i] == (byte)']')
            {
                i++;
            }
            else if (!TryRow(json, ref i, values, ref nonFinite))
            {
                return false;
            }

            var rowWidth = values.Count - rowStart;
            widths.Add(rowWidth);
            width = width == -2 || width == rowWidth ? rowWidth : -1;
            i = SkipSpace(json, i);
            if (i >= json.Length)
            {
                return false;
            }

            if (json[i] == (byte)']')
            {
                end = i + 1;
                return true;
            }

            if (json[i] != (byte)',')
            {
                return false;
            }

            i = SkipSpace(json, i + 1);
        }
    }

    /// <summary>Numbers separated by commas up to and including the row's ']'.</summary>
    private static bool TryRow(ReadOnlySpan<byte> json, ref int i, PooledBuffer<float> values, ref bool nonFinite)
    {
        while (true)
        {
            var numberStart = i;
            if (!TrySkipNumber(json, ref i))
            {
                return false;
            }

            var token = json[numberStart..i];
            if (!JsonNumber.TryParse(token, out var x) && !(Utf8Parser.TryParse(token, out x, out var used) && used == token.Length))
            {
                return false;
            }

            // As the reader path does: NaN marks a value the model cannot take, reported by the model checks.
            var inRange = double.IsFinite(x) && Math.Abs(x) <= float.MaxValue;
            nonFinite |= !inRange;
            values.Add(inRange ? (float)x : float.NaN);
            i = SkipSpace(json, i);
            if (i >= json.Length)
            {
                return false;
            }

            if (json[i] == (byte)']')
            {
                i++;
                return true;
            }

            if (json[i] != (byte)',')
            {
                return false;
            }

            i = SkipSpace(json, i + 1);
        }
    }

    /// <summary>Moves past one JSON number (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?) followed by a delimiter.</summary>
    private static bool TrySkipNumber(ReadOnlySpan<byte> json, ref int i)
    {
        var k = i;
        if (k < json.Length && json[k] == (byte)'-')
        {
            k++;
        }

        if (k >= json.Length || !IsDigit(json[k]))
        {
            return false;
        }

        if (json[k] == (byte)'0')
        {
            k++;
        }
        else
        {
            while (k < json.Length && IsDigit(json[k]))
            {
                k++;
            }
        }

        if (k < json.Length && json[k] == (byte)'.')
        {
            if (++k >= json.Length || !IsDigit(json[k]))
            {
                return false;
            }

            while (k < json.Length && IsDigit(json[k]))
            {
                k++;
            }
        }

        if (k < json.Length && (json[k] | 0x20) == (byte)'e')
        {
            if (++k < json.Length && json[k] is (byte)'+' or (byte)'-')
            {
                k++;
            }

            if (k >= json.Length || !IsDigit(json[k]))
            {
                return false;
            }

            while (k < json.Length && IsDigit(json[k]))
            {
                k++;
            }
        }

        // A number must end at a delimiter; at the end of the data it may still be growing.
        if (k >= json.Length || json[k] is not ((byte)',' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
        {
            return false;
        }

        i = k;
        return true;
    }

    private static int SkipSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
