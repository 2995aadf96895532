namespace Predictive.Core.MarketData;

/// <summary>
/// Prices of several assets on one shared time axis, stored column by column (one array per asset and field).
/// </summary>
/// <remarks>
/// <para>A missing value is <see cref="double.NaN"/>. How gaps become NaN or filled values is decided once, when the
/// panel is assembled (see <see cref="PanelBuilder"/> and <see cref="MissingDataPolicy"/>); a panel never guesses.</para>
/// <para>Open, high, low and volume are optional: when a source lacks a field the whole field is absent
/// (<see cref="HasOhlc"/>, <see cref="HasVolume"/>), never filled with made-up values.</para>
/// </remarks>
public sealed class PricePanel
{
    private readonly DateTimeOffset[] _timestamps;
    private readonly string[] _assets;
    private readonly double[][] _close;
    private readonly double[][]? _open;
    private readonly double[][]? _high;
    private readonly double[][]? _low;
    private readonly double[][]? _volume;
    private readonly bool[][] _observed;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a panel from columns. Arrays are taken as they are, not copied; do not change them afterwards.</summary>
    /// <param name="timestamps">Strictly increasing UTC bar-open times.</param>
    /// <param name="assets">Distinct asset symbols.</param>
    /// <param name="interval">The bar interval.</param>
    /// <param name="close">Close prices, <c>[asset][bar]</c>; NaN where the asset has no price.</param>
    /// <param name="open">Optional open prices, same shape.</param>
    /// <param name="high">Optional high prices, same shape.</param>
    /// <param name="low">Optional low prices, same shape.</param>
    /// <param name="volume">Optional volumes (quote currency), same shape.</param>
    /// <param name="observed">Optional mask, <c>true</c> where the value was observed rather than forward-filled; defaults to "finite close".</param>
    /// <exception cref="ArgumentException">Shapes disagree, timestamps are not increasing, or symbols repeat.</exception>
    public PricePanel(
        DateTimeOffset[] timestamps,
        string[] assets,
        BarInterval interval,
        double[][] close,
        double[][]? open = null,
        double[][]? high = null,
        double[][]? low = null,
        double[][]? volume = null,
        bool[][]? observed = null)
    {
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(close);
        if ((open is null) != (high is null) || (open is null) != (low is null))
        {
            throw new ArgumentException("Open, high and low are given together or not at all.", nameof(open));
        }

        for (var t = 1; t < timestamps.Length; t++)
        {
            if (timestamps[t] <= timestamps[t - 1])
            {
                throw new ArgumentException($"Timestamps must increase strictly; bar {t} ({timestamps[t]:O}) is not after bar {t - 1}.", nameof(timestamps));
            }
        }

        _index = new Dictionary<string, int>(assets.Length, StringComparer.Ordinal);
        for (var a = 0; a < assets.Length; a++)
        {
            if (string.IsNullOrWhiteSpace(assets[a]) || !_index.TryAdd(assets[a], a))
            {
                throw new ArgumentException($"Asset symbol '{assets[a]}' is empty or repeated.", nameof(assets));
            }
        }

        CheckShape(close, nameof(close), assets.Length, timestamps.Length);
        CheckShape(open, nameof(open), assets.Length, timestamps.Length);
        CheckShape(high, nameof(high), assets.Length, timestamps.Length);
        CheckShape(low, nameof(low), assets.Length, timestamps.Length);
        CheckShape(volume, nameof(volume), assets.Length, timestamps.Length);
        if (observed is not null)
        {
            CheckShape(observed, nameof(observed), assets.Length, timestamps.Length);
        }
        else
        {
            observed = new bool[assets.Length][];
            for (var a = 0; a < assets.Length; a++)
            {
                observed[a] = Array.ConvertAll(close[a], double.IsFinite);
            }
        }

        _timestamps = timestamps;
        _assets = assets;
        Interval = interval;
        _close = close;
        _open = open;
        _high = high;
        _low = low;
        _volume = volume;
        _observed = observed;
    }

    /// <summary>The bar-open times of the shared axis, increasing, in UTC.</summary>
    public ReadOnlySpan<DateTimeOffset> Timestamps => _timestamps;

    /// <summary>The asset symbols, in column order.</summary>
    public IReadOnlyList<string> Assets => _assets;

    /// <summary>The bar interval.</summary>
    public BarInterval Interval { get; }

    /// <summary>The number of bars (timestamps) on the axis.</summary>
    public int BarCount => _timestamps.Length;

    /// <summary>The number of assets.</summary>
    public int AssetCount => _assets.Length;

    /// <summary>Whether open, high and low prices are present.</summary>
    public bool HasOhlc => _open is not null;

    /// <summary>Whether volumes are present.</summary>
    public bool HasVolume => _volume is not null;

    /// <summary>The first bar time, or <c>null</c> for an empty panel.</summary>
    public DateTimeOffset? Start => _timestamps.Length == 0 ? null : _timestamps[0];

    /// <summary>The last bar time, or <c>null</c> for an empty panel.</summary>
    public DateTimeOffset? End => _timestamps.Length == 0 ? null : _timestamps[^1];

    /// <summary>Close prices of one asset over all bars (NaN where missing).</summary>
    public ReadOnlySpan<double> Close(int asset) => _close[asset];

    /// <summary>Open prices of one asset; empty when the panel has no OHLC.</summary>
    public ReadOnlySpan<double> Open(int asset) => _open is null ? default : _open[asset];

    /// <summary>High prices of one asset; empty when the panel has no OHLC.</summary>
    public ReadOnlySpan<double> High(int asset) => _high is null ? default : _high[asset];

    /// <summary>Low prices of one asset; empty when the panel has no OHLC.</summary>
    public ReadOnlySpan<double> Low(int asset) => _low is null ? default : _low[asset];

    /// <summary>Volumes of one asset; empty when the panel has no volume.</summary>
    public ReadOnlySpan<double> Volume(int asset) => _volume is null ? default : _volume[asset];

    /// <summary><c>true</c> where the asset's bar was observed in the source; <c>false</c> where it was forward-filled or is missing.</summary>
    public ReadOnlySpan<bool> Observed(int asset) => _observed[asset];

    /// <summary>The column of <paramref name="symbol"/>.</summary>
    /// <exception cref="KeyNotFoundException">The panel has no such asset.</exception>
    public int IndexOf(string symbol) =>
        _index.TryGetValue(symbol, out var i) ? i : throw new KeyNotFoundException($"The panel has no asset '{symbol}'. Assets: {string.Join(", ", _assets)}.");

    /// <summary>Tries to find the column of <paramref name="symbol"/>.</summary>
    public bool TryGetIndex(string symbol, out int index) => _index.TryGetValue(symbol, out index);

    /// <summary>The index of the last bar whose time is at or before <paramref name="time"/>, or -1.</summary>
    public int BarAtOrBefore(DateTimeOffset time)
    {
        var i = Array.BinarySearch(_timestamps, time);
        return i >= 0 ? i : ~i - 1;
    }

    /// <summary>A panel over bars <c>[start, start + count)</c>; the arrays are copied.</summary>
    public PricePanel Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, BarCount, nameof(count));
        return new PricePanel(
            _timestamps[start..(start + count)],
            (string[])_assets.Clone(),
            Interval,
            SliceAll(_close, start, count)!,
            SliceAll(_open, start, count),
            SliceAll(_high, start, count),
            SliceAll(_low, start, count),
            SliceAll(_volume, start, count),
            Array.ConvertAll(_observed, o => o[start..(start + count)]));
    }

    /// <summary>A panel with only the named assets, in the given order; the arrays are copied.</summary>
    /// <exception cref="KeyNotFoundException">A symbol is not in the panel.</exception>
    public PricePanel SelectAssets(IEnumerable<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var idx = symbols.Select(IndexOf).ToArray();
        double[][]? Pick(double[][]? f) => f is null ? null : Array.ConvertAll(idx, i => (double[])f[i].Clone());
        return new PricePanel(
            (DateTimeOffset[])_timestamps.Clone(),
            Array.ConvertAll(idx, i => _assets[i]),
            Interval,
            Pick(_close)!,
            Pick(_open),
            Pick(_high),
            Pick(_low),
            Pick(_volume),
            Array.ConvertAll(idx, i => (bool[])_observed[i].Clone()));
    }

    private static double[][]? SliceAll(double[][]? field, int start, int count) =>
        field is null ? null : Array.ConvertAll(field, c => c[start..(start + count)]);

    private static void CheckShape<T>(T[][]? field, string name, int assets, int bars)
    {
        if (field is null)
        {
            return;
        }

        if (field.Length != assets)
        {
            throw new ArgumentException($"'{name}' has {field.Length} asset columns; the panel has {assets} assets.", name);
        }

        for (var a = 0; a < field.Length; a++)
        {
            if (field[a] is null || field[a].Length != bars)
            {
                throw new ArgumentException($"'{name}' column {a} has {field[a]?.Length ?? 0} values; the panel has {bars} bars.", name);
            }
        }
    }
}
