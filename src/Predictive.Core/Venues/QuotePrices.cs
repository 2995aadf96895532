using Predictive.Core.MarketData;

namespace Predictive.Core.Venues;

/// <summary>
/// How a panel's closes become prices in quote units, shared by the simulated venue and the backtester so both see the
/// same prices (docs/backtesting.md, "Assets that stop trading").
/// </summary>
/// <remarks>
/// When the panel prices the quote asset itself (for example USDC in USD), every close is divided by the quote's close
/// of the same bar. Where the quote's close is missing (a gap beyond the forward-fill limit, or after its rows end) its
/// last close is carried forward, so a gap in the numeraire never makes every asset unpriced; before its first close,
/// and when the panel does not price it at all, it is taken at par (1).
/// </remarks>
public static class QuotePrices
{
    /// <summary>The quote asset's price in the panel's currency at every bar, by the rule above.</summary>
    public static double[] QuoteCloses(PricePanel panel, string quoteAsset)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var result = new double[panel.BarCount];
        Array.Fill(result, 1.0);
        if (!panel.TryGetIndex(quoteAsset, out var q))
        {
            return result;
        }

        var close = panel.Close(q);
        var last = 1.0;
        for (var t = 0; t < result.Length; t++)
        {
            if (double.IsFinite(close[t]) && close[t] > 0)
            {
                last = close[t];
            }

            result[t] = last;
        }

        return result;
    }

    /// <summary>A close in quote units: <paramref name="close"/> / <paramref name="quoteClose"/>, or NaN when that is not finite and positive (the asset is unpriced).</summary>
    public static double InQuote(double close, double quoteClose)
    {
        var p = close / quoteClose;
        return double.IsFinite(p) && p > 0 ? p : double.NaN;
    }
}
