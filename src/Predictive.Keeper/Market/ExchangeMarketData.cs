using Predictive.Core.MarketData;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Market;

/// <summary>
/// Market data from the exchange: the vault's assets' klines through <see cref="BinanceKlineDownloader"/> (closes and
/// quote volume), the window of the last <c>bars</c> bars downloaded on every pass, cut to the bars that closed at or
/// before the chain head's time (the downloader itself drops bars still forming on the keeper's clock).
/// </summary>
public sealed class ExchangeMarketData : IMarketDataSource
{
    // One connection pool for every vault's downloads, recycled so DNS changes are seen.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) };

    private readonly BinanceKlineDownloader _downloader;
    private readonly BarInterval _interval;
    private readonly int _bars;

    /// <summary>Creates the source for <paramref name="vault"/> (its <c>marketData.baseUrl</c>, <c>interval</c>, <c>quoteAsset</c>).</summary>
    public ExchangeMarketData(VaultSettings vault, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var md = vault.MarketData;
        _interval = BarInterval.Parse(md.Interval ?? "1h");
        _bars = vault.MarketDataBars;
        var options = new BinanceDownloaderOptions { QuoteAsset = md.QuoteAsset };
        if (md.BaseUrl is { } url)
        {
            options = options with { BaseAddress = new Uri(url) };
        }

        Name = $"exchange {options.BaseAddress.GetLeftPart(UriPartial.Authority)} {_interval} klines";
        _downloader = new BinanceKlineDownloader(Http, timeProvider, options);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<PricePanel> AtAsync(IReadOnlyList<string> assets, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        // One bar more than needed: the newest may still be forming at the chain head's time and is cut.
        var start = time - (_interval.Length * (_bars + 1));
        PricePanel panel;
        try
        {
            panel = await _downloader.DownloadAsync(new BinanceKlineRequest([.. assets], _interval, start, time), null, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new MarketDataException(Name, null, $"the exchange did not answer: {e.Message}", e);
        }

        return MarketDataSources.Cut(panel, Name, assets, time, _bars, closedOnly: true);
    }
}
