using Predictive.Core.MarketData;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Market;

/// <summary>
/// The feature inputs' market data of one vault: bars of closes (and volumes, in quote units) of the vault's assets up to
/// the chain head's time, never after it (no look-ahead). The guards' reference prices never come from here.
/// </summary>
public interface IMarketDataSource
{
    /// <summary>The source's name, for records and errors.</summary>
    string Name { get; }

    /// <summary>The last bars of <paramref name="assets"/> at or before <paramref name="time"/> (the chain head's time).</summary>
    /// <exception cref="MarketDataException">The source cannot give them (malformed, an asset missing, no bar yet); the message names the source.</exception>
    Task<PricePanel> AtAsync(IReadOnlyList<string> assets, DateTimeOffset time, CancellationToken cancellationToken);
}

/// <summary>The configured market-data source of a vault, and what every source shares.</summary>
public static class MarketDataSources
{
    /// <summary><c>marketData.source</c> selecting the embedded synthetic market.</summary>
    public const string Synthetic = "synthetic";

    /// <summary><c>marketData.source</c> selecting klines from the exchange (<see cref="BinanceKlineDownloader"/>).</summary>
    public const string Exchange = "exchange";

    /// <summary><c>marketData.source</c> selecting the chain: the feeds' prices and the pools' Swap volume per bar.</summary>
    public const string Chain = "chain";

    /// <summary>The source keeper.json names for <paramref name="vault"/>.</summary>
    public static IMarketDataSource For(VaultSettings vault, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return vault.MarketDataSource switch
        {
            Exchange => new ExchangeMarketData(vault, timeProvider),
            Chain => new ChainMarketData(vault),
            _ => new FileMarketData(vault),
        };
    }

    /// <summary>
    /// The last <paramref name="bars"/> bars of <paramref name="assets"/> in <paramref name="panel"/> that closed at or
    /// before <paramref name="time"/> (bar-open time + interval ≤ time when <paramref name="closedOnly"/>, else bar-open ≤ time).
    /// </summary>
    /// <exception cref="MarketDataException">An asset is missing, or no bar qualifies.</exception>
    public static PricePanel Cut(PricePanel panel, string name, IReadOnlyList<string> assets, DateTimeOffset time, int bars, bool closedOnly)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(assets);
        var missing = assets.Where(a => !panel.TryGetIndex(a, out _)).ToList();
        if (missing.Count > 0)
        {
            throw new MarketDataException(name, null, $"no series for {string.Join(", ", missing)}; the vault holds {string.Join(", ", assets)}.");
        }

        var last = panel.BarAtOrBefore(closedOnly ? time - panel.Interval.Length : time);
        if (last < 0)
        {
            throw new MarketDataException(name, null, $"no bar {(closedOnly ? "closed" : "opened")} at or before the chain head's time {time:O} (it starts {panel.Start:O}).");
        }

        var start = Math.Max(0, last + 1 - bars);
        return panel.SelectAssets(assets).Slice(start, last + 1 - start);
    }
}
