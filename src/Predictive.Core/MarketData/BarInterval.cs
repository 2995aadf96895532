using System.Globalization;

namespace Predictive.Core.MarketData;

/// <summary>
/// The spacing of bars on a panel's time axis, such as <c>1h</c> or <c>1d</c>.
/// </summary>
public readonly record struct BarInterval
{
    private static readonly (string Suffix, long Seconds)[] Units =
    [
        ("w", 7 * 86_400L), ("d", 86_400L), ("h", 3_600L), ("m", 60L), ("s", 1L),
    ];

    /// <summary>Creates an interval of the given length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is not positive.</exception>
    public BarInterval(TimeSpan length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(length, TimeSpan.Zero);
        Length = length;
    }

    /// <summary>One day.</summary>
    public static BarInterval Daily { get; } = new(TimeSpan.FromDays(1));

    /// <summary>One hour.</summary>
    public static BarInterval Hourly { get; } = new(TimeSpan.FromHours(1));

    /// <summary>The time between consecutive bars.</summary>
    public TimeSpan Length { get; }

    /// <summary>How many bars make one year of 365 days; used to annualize statistics.</summary>
    public double BarsPerYear => TimeSpan.FromDays(365).TotalSeconds / Length.TotalSeconds;

    /// <summary>Parses the short form used by exchanges and the CLI (<c>1m</c>, <c>4h</c>, <c>1d</c>, <c>1w</c>).</summary>
    /// <exception cref="FormatException">The text is not a positive count followed by s, m, h, d or w.</exception>
    public static BarInterval Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        foreach (var (suffix, seconds) in Units)
        {
            if (t.Length > suffix.Length && t.EndsWith(suffix, StringComparison.Ordinal)
                && long.TryParse(t.AsSpan(0, t.Length - suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return new BarInterval(TimeSpan.FromSeconds(n * seconds));
            }
        }

        throw new FormatException($"'{text}' is not a bar interval; expected a positive count followed by s, m, h, d or w (for example 1h or 1d).");
    }

    /// <summary>The short form, using the largest unit that divides the length (<c>1d</c>, <c>4h</c>).</summary>
    public override string ToString()
    {
        var total = (long)Length.TotalSeconds;
        foreach (var (suffix, seconds) in Units)
        {
            if (total % seconds == 0)
            {
                return (total / seconds).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return Length.ToString("c", CultureInfo.InvariantCulture);
    }
}
