using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Targets;

/// <summary>
/// The feature inputs' market data for one vault: a file that grows (re-read when it changes) or the synthetic market,
/// cut to the bars at or before the chain head's time (no look-ahead) and the last <c>bars</c> of them.
/// </summary>
public sealed class MarketDataWindow
{
    private readonly string _source;
    private readonly int _seed;
    private readonly int _bars;
    private PricePanel? _panel;
    private (DateTime Written, long Length) _version;

    /// <summary>Creates the window over the vault's configured source.</summary>
    public MarketDataWindow(VaultSettings vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _source = vault.MarketDataSource;
        _seed = vault.MarketDataSeed;
        _bars = vault.MarketDataBars;
    }

    /// <summary>The source's name, for records and errors.</summary>
    public string Name => _source == KeeperConfigLoader.Synthetic ? $"synthetic(seed={_seed})" : _source;

    /// <summary>The bars of <paramref name="assets"/> at or before <paramref name="time"/>, the last <c>bars</c> of them.</summary>
    /// <exception cref="MarketDataException">The file is malformed, lacks an asset, or has no bar at or before the time.</exception>
    public async Task<PricePanel> AtAsync(IReadOnlyList<string> assets, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var panel = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var missing = assets.Where(a => !panel.TryGetIndex(a, out _)).ToList();
        if (missing.Count > 0)
        {
            throw new MarketDataException(Name, null, $"no series for {string.Join(", ", missing)}; the vault holds {string.Join(", ", assets)}.");
        }

        var last = panel.BarAtOrBefore(time);
        if (last < 0)
        {
            throw new MarketDataException(Name, null, $"no bar at or before the chain head's time {time:O} (it starts {panel.Start:O}).");
        }

        var start = Math.Max(0, last + 1 - _bars);
        return panel.SelectAssets(assets).Slice(start, last + 1 - start);
    }

    private async Task<PricePanel> LoadAsync(CancellationToken cancellationToken)
    {
        if (_source == KeeperConfigLoader.Synthetic)
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
