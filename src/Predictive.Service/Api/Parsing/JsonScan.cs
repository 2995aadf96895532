using System.Text;

namespace Predictive.Service.Api.Parsing;

/// <summary>How a direct scan ended.</summary>
internal enum ScanStatus
{
    /// <summary>The value was plain and is stored.</summary>
    Done,

    /// <summary>The data ended inside the value, which was plain so far: more bytes may complete it.</summary>
    NeedMore,

    /// <summary>The value is not one the scanner takes (or not valid JSON): the reader parses it, with its exact errors.</summary>
    Fallback,
}

/// <summary>
/// Pieces of the direct scanners (<see cref="NumberArrays"/>, the portfolio scan of <see cref="TargetsBodyParser"/>):
/// they accept a plain subset of JSON (no escapes, ASCII strings) and leave anything else to the reader, so what they
/// accept always reads the same as through the reader.
/// </summary>
internal static class JsonScan
{
    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    public static int SkipSpace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && IsSpace(json[i]))
        {
            i++;
        }

        return i;
    }

    /// <summary>The status when the byte at <paramref name="i"/> is not the one expected: more data may bring it only at the end.</summary>
    public static ScanStatus Unexpected(ReadOnlySpan<byte> json, int i) => i >= json.Length ? ScanStatus.NeedMore : ScanStatus.Fallback;

    /// <summary>Moves past whitespace, <paramref name="expected"/> and whitespace; false with the status otherwise.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> json, ref int i, byte expected, out ScanStatus status)
    {
        var k = SkipSpace(json, i);
        if (k >= json.Length || json[k] != expected)
        {
            status = Unexpected(json, k);
            return false;
        }

        i = SkipSpace(json, k + 1);
        status = ScanStatus.Done;
        return true;
    }

    /// <summary>
    /// At a value that must be an array or null: moves past a null, or stays at the '[' with
    /// <paramref name="isArray"/> true.
    /// </summary>
    public static ScanStatus StartArrayOrNull(ReadOnlySpan<byte> json, ref int i, out bool isArray)
    {
        isArray = i < json.Length && json[i] == (byte)'[';
        return isArray ? ScanStatus.Done
            : i < json.Length && json[i] == (byte)'n' ? SkipNull(json, ref i)
            : Unexpected(json, i);
    }

    /// <summary>Moves past <c>null</c> at <paramref name="i"/>.</summary>
    public static ScanStatus SkipNull(ReadOnlySpan<byte> json, ref int i)
    {
        var rest = json[i..];
        if (rest.StartsWith("null"u8))
        {
            i += 4;
            return ScanStatus.Done;
        }

        return rest.Length < 4 && "null"u8.StartsWith(rest) ? ScanStatus.NeedMore : ScanStatus.Fallback;
    }

    /// <summary>
    /// The contents of the string at <paramref name="i"/> (its opening quote) when it is printable ASCII without
    /// escapes, the strings clients send for ids and symbols; moves past the closing quote.
    /// </summary>
    public static ScanStatus ScanPlainString(ReadOnlySpan<byte> json, ref int i, out ReadOnlySpan<byte> text)
    {
        text = default;
        var k = i + 1;
        while (k < json.Length && json[k] is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
        {
            k++;
        }

        if (k >= json.Length || json[k] != (byte)'"')
        {
            return Unexpected(json, k);
        }

        text = json[(i + 1)..k];
        i = k + 1;
        return ScanStatus.Done;
    }

    /// <summary>A plain string (see <see cref="ScanPlainString"/>) or null at <paramref name="i"/>.</summary>
    public static ScanStatus ScanStringOrNull(ReadOnlySpan<byte> json, ref int i, out string? value)
    {
        value = null;
        if (i < json.Length && json[i] == (byte)'n')
        {
            return SkipNull(json, ref i);
        }

        if (i >= json.Length || json[i] != (byte)'"')
        {
            return Unexpected(json, i);
        }

        var status = ScanPlainString(json, ref i, out var text);
        value = status == ScanStatus.Done ? Encoding.ASCII.GetString(text) : null;
        return status;
    }
}
