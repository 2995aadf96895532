using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The market a backtest replays: the price panel, which of its assets are traded, the simulated venue's pools, the
/// swap cost model, gas prices and the planner's limits. Prices in quote units and gas per swap are precomputed once
/// and shared by every run on this market.
/// </summary>
public sealed class BacktestMarket
{
    /// <summary>The number of traded assets (the stride of the per-bar arrays), kept as a field: the hot loop asks for a bar's prices many times per bar.</summary>
    private readonly int _n;

    private readonly double[] _prices;
    private readonly double[] _marks;
    private readonly int[] _lastPriced;
    private readonly bool[] _allPriced;
    private readonly bool[] _pricedChanged;
    private readonly bool[] _quoteCarried;
    private readonly double[] _gasPerSwap;

    /// <summary>Creates the market.</summary>
    /// <param name="panel">Closes of every asset (and of the quote asset, when it is priced, e.g. USDC).</param>
    /// <param name="assets">The traded assets; null takes every panel asset except the quote asset.</param>
    /// <param name="venue">Pool sizing and the quote asset; defaults to <see cref="SimulatedVenueOptions"/>'s defaults.</param>
    /// <param name="costs">Fee, gas units and slippage; defaults to <see cref="SwapCostOptions.Default"/>.</param>
    /// <param name="gas">Gas prices over time; defaults to constant prices from <paramref name="costs"/> with the panel's native-token close.</param>
    /// <param name="planner">The planner's limits; defaults to <see cref="TradePlannerOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">An asset is not in the panel, is the quote asset, or the options are invalid.</exception>
    public BacktestMarket(PricePanel panel, IReadOnlyList<string>? assets = null, SimulatedVenueOptions? venue = null, SwapCostOptions? costs = null, GasMarket? gas = null, TradePlannerOptions? planner = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        Panel = panel;
        VenueOptions = venue ?? new SimulatedVenueOptions();
        VenueOptions.Validate();
        CostModel = new SwapCostModel(costs ?? SwapCostOptions.Default);
        Gas = gas ?? new GasMarket(CostModel.Options, market: panel);
        PlannerOptions = planner ?? new TradePlannerOptions();
        Rebalancing.Costs.OptionsValidation.ThrowIfInvalid(PlannerOptions);
        var quote = VenueOptions.QuoteAsset;
        Assets = assets is null ? panel.Assets.Where(a => a != quote).ToArray() : [.. assets];
        if (Assets.Count == 0)
        {
            throw new ArgumentException("A backtest needs at least one traded asset.", nameof(assets));
        }

        foreach (var a in Assets)
        {
            if (a == quote || !panel.TryGetIndex(a, out _))
            {
                throw new ArgumentException($"Asset '{a}' is {(a == quote ? "the quote asset (cash)" : "not in the panel")}; traded assets must be panel assets other than {quote}.", nameof(assets));
            }
        }

        var n = _n = Assets.Count;
        var bars = panel.BarCount;
        var quoteCloses = QuotePrices.QuoteCloses(panel, quote);
        _prices = new double[bars * n];
        _marks = new double[bars * n];
        _lastPriced = new int[bars * n];
        _allPriced = new bool[bars];
        _pricedChanged = new bool[bars];
        _quoteCarried = new bool[bars];
        var quoteColumn = panel.TryGetIndex(quote, out var qc) ? qc : -1;
        var quoteSeen = false;
        _gasPerSwap = new double[bars];
        var columns = Assets.Select(panel.IndexOf).ToArray();
        for (var t = 0; t < bars; t++)
        {
            // As the simulated venue does (QuotePrices): divide by the quote asset's price when the panel has one.
            var all = true;
            for (var a = 0; a < n; a++)
            {
                var k = (t * n) + a;
                var p = QuotePrices.InQuote(panel.Close(columns[a])[t], quoteCloses[t]);
                _prices[k] = p;
                var priced = !double.IsNaN(p);
                all &= priced;
                _lastPriced[k] = priced ? t : t == 0 ? -1 : _lastPriced[k - n];
                _marks[k] = priced ? p : t == 0 ? double.NaN : _marks[k - n];
                _pricedChanged[t] |= t > 0 && priced != !double.IsNaN(_prices[k - n]);
            }

            _allPriced[t] = all;
            var quoteNow = quoteColumn >= 0 && double.IsFinite(panel.Close(quoteColumn)[t]) && panel.Close(quoteColumn)[t] > 0;
            _quoteCarried[t] = quoteColumn >= 0 && !quoteNow && quoteSeen;
            quoteSeen |= quoteNow;
            _gasPerSwap[t] = (double)Gas.At(panel.Timestamps[t] + panel.Interval.Length).CostQuote(CostModel.Options.GasUnitsPerSwap);
        }
    }

    /// <summary>The panel.</summary>
    public PricePanel Panel { get; }

    /// <summary>The traded assets, in weight order.</summary>
    public IReadOnlyList<string> Assets { get; }

    /// <summary>The simulated venue's options.</summary>
    public SimulatedVenueOptions VenueOptions { get; }

    /// <summary>The swap cost model (venue fills and planner estimates).</summary>
    public SwapCostModel CostModel { get; }

    /// <summary>Gas prices over time.</summary>
    public GasMarket Gas { get; }

    /// <summary>The planner's limits.</summary>
    public TradePlannerOptions PlannerOptions { get; }

    /// <summary>The quote asset.</summary>
    public string QuoteAsset => VenueOptions.QuoteAsset;

    /// <summary>Bars per year of the panel's interval (crypto trades every day: 365 days).</summary>
    public double BarsPerYear => TimeSpan.FromDays(365).TotalSeconds / Panel.Interval.Length.TotalSeconds;

    /// <summary>Prices of the traded assets at one bar, in quote units (NaN where missing).</summary>
    public ReadOnlySpan<double> Prices(int bar) => _prices.AsSpan(bar * _n, _n);

    /// <summary>
    /// The prices holdings are valued at, in quote units: each asset's price, or, where it has none, its last price
    /// (carried without limit; NaN before its first price). See docs/backtesting.md, "Assets that stop trading".
    /// </summary>
    public ReadOnlySpan<double> MarkPrices(int bar) => _marks.AsSpan(bar * _n, _n);

    /// <summary>Whether every traded asset has a price at <paramref name="bar"/>.</summary>
    public bool AllPriced(int bar) => _allPriced[bar];

    /// <summary>Whether the set of priced assets at <paramref name="bar"/> differs from the bar before.</summary>
    public bool PricedSetChanged(int bar) => _pricedChanged[bar];

    /// <summary>The last bar at or before <paramref name="bar"/> at which <paramref name="asset"/> (an index into <see cref="Assets"/>) had a price, or -1.</summary>
    public int LastPricedBar(int bar, int asset) => _lastPriced[(bar * _n) + asset];

    /// <summary>Whether the quote asset's own close is missing at <paramref name="bar"/> (after it first traded), so its last close converts the others.</summary>
    public bool QuoteCarried(int bar) => _quoteCarried[bar];

    /// <summary>The gas of one swap at the close of <paramref name="bar"/>, in quote units.</summary>
    public double GasPerSwapQuote(int bar) => _gasPerSwap[bar];

    /// <summary>The sub-panel of the traded assets (for features of the allocator stage).</summary>
    public PricePanel AssetPanel() => Panel.SelectAssets(Assets);

    internal SimulatedVenue CreateVenue(TimeProvider clock) => new(Panel, VenueOptions, CostModel, Gas, clock);
}
