using System.Globalization;
using System.Text;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The record of a run under the rule for assets that stop trading: the events (from the market's prices and the
/// run's sales and write-offs) and the notes each decision carries about the assets involved. Built when first read.
/// </summary>
internal sealed class UntradableLedger
{
    private readonly BacktestMarket _m;
    private readonly int _start;
    private readonly IReadOnlyList<DateTimeOffset> _times;
    private readonly HoldingsLog _holdings;
    private readonly IReadOnlyList<AssetEvent> _runEvents;
    private readonly int _writeOffBars;
    private readonly Lazy<(IReadOnlyList<AssetEvent> All, ILookup<int, AssetEvent> ByBar)> _events;

    public UntradableLedger(BacktestMarket market, int start, IReadOnlyList<DateTimeOffset> times, HoldingsLog holdings, IReadOnlyList<AssetEvent> runEvents, int writeOffBars)
    {
        _m = market;
        _start = start;
        _times = times;
        _holdings = holdings;
        _runEvents = runEvents;
        _writeOffBars = writeOffBars;
        _events = new(Collect);
    }

    public IReadOnlyList<AssetEvent> Events => _events.Value.All;

    /// <summary>What the rule says at <paramref name="bar"/> about assets without a price, and the events of that bar; empty when nothing applies.</summary>
    public string Notes(int bar)
    {
        var t = _start + bar;
        if (_m.AllPriced(t) && !_events.Value.ByBar.Contains(bar) && !_m.QuoteCarried(t))
        {
            return string.Empty;
        }

        var text = new StringBuilder();
        var prices = _m.Prices(t);
        var marks = _m.MarkPrices(t);
        var held = _holdings.Rows.RowAt(bar);
        var unlisted = new List<string>();
        for (var a = 0; a < prices.Length; a++)
        {
            if (!double.IsNaN(prices[a]))
            {
                continue;
            }

            var last = _m.LastPricedBar(t, a);
            if (last < 0)
            {
                unlisted.Add(_m.Assets[a]);
                continue;
            }

            var since = _m.Panel.Timestamps[last] + _m.Panel.Interval.Length;
            if (held[a] == 0)
            {
                Append(text, $"{_m.Assets[a]} has had no price since the bar that closed {since:yyyy-MM-dd HH:mm} (beyond the data's forward-fill limit): target 0.");
                continue;
            }

            Append(text, $"{_m.Assets[a]} has had no price since the bar that closed {since:yyyy-MM-dd HH:mm} (beyond the data's forward-fill limit): target 0; the {held[a]:G6} held cannot be traded and is valued at its last price {marks[a]:G6} ({held[a] * marks[a]:N2}), written off if still unpriced after {_writeOffBars} bars ({t - last} so far).");
        }

        if (unlisted.Count > 0)
        {
            Append(text, $"Not listed yet (no price): {string.Join(", ", unlisted)}, target 0.");
        }

        foreach (var e in _events.Value.ByBar[bar].Where(e => e.Kind != AssetEventKind.Unpriced))
        {
            var sentence = e.Describe();
            text.Append(text.Length == 0 ? string.Empty : " ").Append(char.ToUpperInvariant(sentence[0])).Append(sentence.AsSpan(1));
        }

        if (_m.QuoteCarried(t) && !_events.Value.ByBar[bar].Any(e => e.Kind == AssetEventKind.QuoteCarried))
        {
            Append(text, $"The quote asset {_m.QuoteAsset} has no close at this bar: its last close converts the other prices.");
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, FormattableString sentence) =>
        text.Append(text.Length == 0 ? string.Empty : " ").Append(sentence.ToString(CultureInfo.InvariantCulture));

    private (IReadOnlyList<AssetEvent>, ILookup<int, AssetEvent>) Collect()
    {
        var list = new List<AssetEvent>(_runEvents);
        for (var i = 0; i < _times.Count; i++)
        {
            var t = _start + i;
            if (t == 0 || (_m.AllPriced(t) && _m.AllPriced(t - 1)))
            {
                continue;
            }

            var now = _m.Prices(t);
            var before = _m.Prices(t - 1);
            for (var a = 0; a < now.Length; a++)
            {
                var priced = !double.IsNaN(now[a]);
                if (priced == !double.IsNaN(before[a]))
                {
                    continue;
                }

                if (priced)
                {
                    var kind = _m.LastPricedBar(t - 1, a) < 0 ? AssetEventKind.Listed : AssetEventKind.Repriced;
                    list.Add(new AssetEvent(i, _times[i], _m.Assets[a], kind, 0, now[a], 0));
                }
                else
                {
                    var q = _holdings.Rows.RowAt(i)[a];
                    var mark = _m.MarkPrices(t)[a];
                    list.Add(new AssetEvent(i, _times[i], _m.Assets[a], AssetEventKind.Unpriced, q, mark, q * mark));
                }
            }
        }

        if (_m.Panel.TryGetIndex(_m.QuoteAsset, out _))
        {
            var closes = QuotePrices.QuoteCloses(_m.Panel, _m.QuoteAsset);
            var was = false;
            for (var i = 0; i < _times.Count; i++)
            {
                var carried = _m.QuoteCarried(_start + i);
                if (carried && !was)
                {
                    list.Add(new AssetEvent(i, _times[i], _m.QuoteAsset, AssetEventKind.QuoteCarried, 0, closes[_start + i], 0));
                }

                was = carried;
            }
        }

        var ordered = list.OrderBy(e => e.Bar).ToList();
        return (ordered, ordered.ToLookup(e => e.Bar));
    }
}
