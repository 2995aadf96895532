using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Market;

/// <summary>
/// Market data from a file that grows (CSV, Binance klines, Parquet; re-read when it changes) or from the synthetic
/// market, cut to the bars at or before the chain head's time (no look-ahead) and the last <c>bars</c> of them.
/// </summary>
public sealed class FileMarketData : IMarketDataSource
{
    private readonly string _source;
    private readonly int _seed;
    private readonly int _bars;
    private PricePanel? _panel;
    private (DateTime Written, long Length) _version;

    /// <summary>Creates the source over the vault's configured file (or <c>synthetic</c>).</summary>
    public FileMarketData(VaultSettings vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _source = vault.MarketDataSource;
        _seed = vault.MarketDataSeed;
        _bars = vault.MarketDataBars;
    }

    /// <inheritdoc />
    public string Name => _source == MarketDataSources.Synthetic ? $"synthetic(seed={_seed})" : _source;

    /// <inheritdoc />
    public async Task<PricePanel> AtAsync(IReadOnlyList<string> assets, DateTimeOffset time, CancellationToken cancellationToken) =>
        MarketDataSources.Cut(await LoadAsync(cancellationToken).ConfigureAwait(false), Name, assets, time, _bars, closedOnly: false);

    private async Task<PricePanel> LoadAsync(CancellationToken cancellationToken)
    {
        if (_source == MarketDataSources.Synthetic)
        {
            return _panel ??= SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = _seed });
        }

        var info = new FileInfo(_source);
        var version = (info.LastWriteTimeUtc, info.Exists ? info.Length : -1);
        if (_panel is null || version != _version)
        {
            _panel = await MarketDataFile.ReadAsync(_source, cancellationToken: cancellationToken).ConfigureAwait(false);
            _version = version;
        }

        return _panel;
    }
}
