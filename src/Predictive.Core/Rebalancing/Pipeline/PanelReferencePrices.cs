using Predictive.Core.MarketData;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>
/// Reference prices from a price panel (the market data the targets were computed from, as <c>chain up</c> seeds the
/// pools): at a time, the closes of the last bar that has closed by then, in quote units the way the simulated venue
/// computes them (<see cref="QuotePrices"/>). Until an on-chain oracle fills the seam this is the live reference.
/// </summary>
public sealed class PanelReferencePrices : IReferencePriceSource
{
    private readonly PricePanel _panel;
    private readonly IReadOnlyList<string> _assets;
    private readonly double[] _quoteCloses;

    /// <summary>Creates the source over <paramref name="assets"/> of <paramref name="panel"/>, priced in <paramref name="quoteAsset"/>.</summary>
    /// <exception cref="ArgumentException">An asset is not in the panel.</exception>
    public PanelReferencePrices(PricePanel panel, IReadOnlyList<string> assets, string quoteAsset, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentException.ThrowIfNullOrWhiteSpace(quoteAsset);
        foreach (var a in assets)
        {
            if (!panel.TryGetIndex(a, out _))
            {
                throw new ArgumentException($"Reference asset '{a}' is not in the market data (it has {string.Join(", ", panel.Assets)}).", nameof(assets));
            }
        }

        _panel = panel;
        _assets = [.. assets];
        _quoteCloses = QuotePrices.QuoteCloses(panel, quoteAsset);
        Name = name ?? "market data closes";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<ReferencePriceRow> GetAsync(DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        var bar = LastClosedBar(time);
        return bar < 0
            ? throw new InvalidOperationException($"{Name}: no bar has closed by {time:O} (the data starts {_panel.Timestamps[0]:O}).")
            : Task.FromResult(Row(bar));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReferencePriceRow>> GetHistoryAsync(DateTimeOffset time, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var last = LastClosedBar(time);
        var rows = new List<ReferencePriceRow>(count);
        for (var t = Math.Max(0, last - count + 1); t <= last; t++)
        {
            rows.Add(Row(t));
        }

        return Task.FromResult<IReadOnlyList<ReferencePriceRow>>(rows);
    }

    /// <summary>The last bar whose close time (open + interval) is at or before <paramref name="time"/>, or −1.</summary>
    public int LastClosedBar(DateTimeOffset time)
    {
        var open = time - _panel.Interval.Length;
        var stamps = _panel.Timestamps;
        int lo = 0, hi = stamps.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (stamps[mid] <= open)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private ReferencePriceRow Row(int bar)
    {
        var prices = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var a in _assets)
        {
            var p = QuotePrices.InQuote(_panel.Close(_panel.IndexOf(a))[bar], _quoteCloses[bar]);
            if (double.IsFinite(p) && p > 0)
            {
                prices[a] = p;
            }
        }

        return new ReferencePriceRow(_panel.Timestamps[bar] + _panel.Interval.Length, prices);
    }
}
