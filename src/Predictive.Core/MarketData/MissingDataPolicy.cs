namespace Predictive.Core.MarketData;

/// <summary>
/// The one documented rule for turning gaps in source data into panel values.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><b>Time axis.</b> The panel's axis is the union of every timestamp at which any asset has a bar.
/// A timestamp where no asset traded (an exchange-wide outage, a weekend for equities) is not on the axis.</description></item>
/// <item><description><b>Before listing.</b> Bars before an asset's first observation are NaN in every field: the asset
/// did not exist yet. Features are NaN there and allocators give the asset no weight.</description></item>
/// <item><description><b>Holes and the tail.</b> After a missing bar the last close is carried forward for at most
/// <see cref="MaxForwardFillBars"/> bars (open = high = low = that close, volume = 0, <c>Observed</c> = false).
/// Past the limit the asset is NaN until it trades again, so a stale price is never used for long.</description></item>
/// <item><description><b>Unknown volume.</b> A bar whose source volume is NaN (for example <c>nan</c> in a CSV) keeps its
/// prices and has a NaN volume; volume is never invented.</description></item>
/// </list>
/// </remarks>
public sealed record MissingDataPolicy
{
    /// <summary>The default policy: forward-fill at most five bars.</summary>
    public static MissingDataPolicy Default { get; } = new();

    /// <summary>The most consecutive bars a last close is carried over a gap. The default value is 5; 0 disables filling.</summary>
    public int MaxForwardFillBars { get; init; } = 5;
}
