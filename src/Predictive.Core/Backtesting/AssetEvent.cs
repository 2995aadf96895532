using System.Globalization;

namespace Predictive.Core.Backtesting;

/// <summary>What happened to an asset under the rule for assets that stop trading (docs/backtesting.md).</summary>
public enum AssetEventKind
{
    /// <summary>The asset has its first price in the backtest after having none: it lists, and may get weight from now on.</summary>
    Listed = 0,

    /// <summary>A listed asset has no price any more (beyond the data's forward-fill limit): target 0; a holding is kept at its last price.</summary>
    Unpriced = 1,

    /// <summary>An asset that had lost its price has one again.</summary>
    Repriced = 2,

    /// <summary>A holding kept at its last price while untradable was sold at the first bar it traded again.</summary>
    StrandedSold = 3,

    /// <summary>A holding untradable for <see cref="BacktestOptions.WriteOffBars"/> bars was written off (quantity and value to 0).</summary>
    WrittenOff = 4,

    /// <summary>The quote asset's own close is missing: its last close converts the other prices until it has one again.</summary>
    QuoteCarried = 5,
}

/// <summary>One event of the rule for assets that stop trading, in a backtest.</summary>
/// <param name="Bar">The bar counted from the backtest's start.</param>
/// <param name="Time">The bar's close.</param>
/// <param name="Asset">The asset.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Quantity">Tokens held then (before a sale or write-off); 0 when not held.</param>
/// <param name="PriceQuote">The price used: the last price for <see cref="AssetEventKind.Unpriced"/> and <see cref="AssetEventKind.WrittenOff"/>, the price now otherwise.</param>
/// <param name="ValueQuote">Quantity × price: the value written off, or the value sold before costs.</param>
public sealed record AssetEvent(int Bar, DateTimeOffset Time, string Asset, AssetEventKind Kind, double Quantity, double PriceQuote, double ValueQuote)
{
    /// <summary>The event as a sentence.</summary>
    public string Describe() => Kind switch
    {
        AssetEventKind.Listed => Say($"{Asset} has its first price ({PriceQuote:G6}) and can get weight from now on."),
        AssetEventKind.Unpriced when Quantity != 0 => Say($"{Asset} has no price any more (beyond the data's forward-fill limit): target 0; {Quantity:G6} held stays at its last price {PriceQuote:G6} ({ValueQuote:N2}) until it trades again or is written off."),
        AssetEventKind.Unpriced => Say($"{Asset} has no price any more (beyond the data's forward-fill limit; last {PriceQuote:G6}): target 0."),
        AssetEventKind.Repriced => Say($"{Asset} has a price again ({PriceQuote:G6})."),
        AssetEventKind.StrandedSold => Say($"{Asset} trades again: {Quantity:G6} held since it lost its price is sold ({ValueQuote:N2} at {PriceQuote:G6}, before costs); any rest is an ordinary holding with target 0 this bar."),
        AssetEventKind.WrittenOff => Say($"{Asset} untradable too long: {Quantity:G6} held written off, losing {ValueQuote:N2} (last price {PriceQuote:G6})."),
        AssetEventKind.QuoteCarried => Say($"the quote asset {Asset} has no close: its last close {PriceQuote:G6} converts the other prices."),
        _ => Kind.ToString(),
    };

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
