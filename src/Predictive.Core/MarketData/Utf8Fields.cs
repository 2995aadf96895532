using System.Globalization;
using System.Text;

namespace Predictive.Core.MarketData;

/// <summary>Span-based parsing of comma-separated UTF-8 fields, shared by the CSV readers.</summary>
internal static class Utf8Fields
{
    /// <summary>Splits <paramref name="line"/> on commas into <paramref name="ranges"/>; returns the field count, which may exceed the span.</summary>
    public static int Split(ReadOnlySpan<byte> line, Span<Range> ranges)
    {
        var count = 0;
        var start = 0;
        while (true)
        {
            var comma = line[start..].IndexOf((byte)',');
            var end = comma < 0 ? line.Length : start + comma;
            if (count < ranges.Length)
            {
                ranges[count] = new Range(start, end);
            }

            count++;
            if (comma < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }

    /// <summary>A field with surrounding spaces and one pair of double quotes removed.</summary>
    public static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> field)
    {
        field = field.Trim((byte)' ');
        return field.Length >= 2 && field[0] == (byte)'"' && field[^1] == (byte)'"' ? field[1..^1] : field;
    }

    /// <summary>Parses a decimal or scientific-notation number (invariant culture).</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> field, out double value) =>
        double.TryParse(Unquote(field), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses an integer such as a Unix time.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> field, out long value) =>
        long.TryParse(Unquote(field), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Parses <c>YYYY-MM-DD</c> (midnight UTC) or ISO-8601 such as <c>2017-08-17T05:00:00Z</c>. A time without an offset
    /// is taken as UTC. The common shapes are parsed from the bytes directly; anything else goes to the framework parser.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> field, out DateTimeOffset value)
    {
        field = Unquote(field);
        if (field.Length == 10 && TryDate(field, out var date))
        {
            value = new DateTimeOffset(date, TimeSpan.Zero);
            return true;
        }

        // YYYY-MM-DDTHH:MM:SSZ (or a space for the T), the shape of the hourly file.
        if (field.Length == 20 && field[19] == (byte)'Z' && (field[10] == (byte)'T' || field[10] == (byte)' ')
            && TryDate(field[..10], out date) && field[13] == (byte)':' && field[16] == (byte)':'
            && TryDigits(field.Slice(11, 2), out var h) && TryDigits(field.Slice(14, 2), out var m) && TryDigits(field.Slice(17, 2), out var s)
            && h < 24 && m < 60 && s < 60)
        {
            value = new DateTimeOffset(date.AddTicks(h * TimeSpan.TicksPerHour + m * TimeSpan.TicksPerMinute + s * TimeSpan.TicksPerSecond), TimeSpan.Zero);
            return true;
        }

        Span<char> chars = stackalloc char[64];
        if (field.Length > chars.Length || !Encoding.UTF8.TryGetChars(field, chars, out var n))
        {
            value = default;
            return false;
        }

        var ok = DateTimeOffset.TryParse(chars[..n], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
        return ok && chars[..n].Contains('-');
    }

    private static bool TryDate(ReadOnlySpan<byte> f, out DateTime date)
    {
        date = default;
        if (f[4] != (byte)'-' || f[7] != (byte)'-' || !TryDigits(f[..4], out var y) || !TryDigits(f.Slice(5, 2), out var mo) || !TryDigits(f.Slice(8, 2), out var d)
            || y < 1 || mo is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo))
        {
            return false;
        }

        date = new DateTime(y, mo, d, 0, 0, 0, DateTimeKind.Utc);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> f, out int value)
    {
        value = 0;
        foreach (var b in f)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    /// <summary>The text of a field for an error message, cut to a readable length.</summary>
    public static string Show(ReadOnlySpan<byte> field)
    {
        var text = Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);
        return field.Length > 40 ? text + "…" : text;
    }
}

/// <summary>Turns symbol bytes into one shared string per distinct symbol, so a long file allocates no string per row.</summary>
internal sealed class SymbolTable
{
    private readonly Dictionary<string, string> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SymbolTable() => _lookup = _symbols.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        utf8 = Utf8Fields.Unquote(utf8);
        Span<char> chars = stackalloc char[128];
        if (utf8.Length > chars.Length || !Encoding.UTF8.TryGetChars(utf8, chars, out var n))
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var span = chars[..n];
        if (_lookup.TryGetValue(span, out var existing))
        {
            return existing;
        }

        var symbol = span.ToString();
        _symbols.Add(symbol, symbol);
        return symbol;
    }
}
