using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Venues;

/// <summary>
/// A simulated AMM: one constant-product pool per asset against the quote asset (plus optional direct pools),
/// re-anchored at every bar to the market's close with a configured or volume-derived depth, so price impact is real.
/// Swaps move the reserves until the next bar re-anchors them (arbitrage is assumed to restore the market price
/// between bars). Gas is charged per swap.
/// </summary>
/// <remarks>
/// An asset without a close in quote units at the bar (not listed yet, or missing beyond the data's forward-fill
/// limit) has no pool and no reference price then; once it has traded, the snapshot carries its last reference price
/// (<see cref="VenueSnapshot.LastPrices"/>), at which holdings of it are valued (docs/backtesting.md, "Assets that stop
/// trading"). Quote-unit prices follow <see cref="QuotePrices"/>.
/// </remarks>
/// <remarks>
/// The bar comes from the clock: at time <c>t</c> the venue stands at the last bar completed by <c>t</c>
/// (open + interval ≤ t), so a backtest that advances a fake <see cref="TimeProvider"/> to each bar's close
/// sees that close and nothing later. Fills are timestamped with the clock. Not thread-safe across bars.
/// </remarks>
public sealed class SimulatedVenue : IVenue
{
    private readonly PricePanel _market;
    private readonly SimulatedVenueOptions _options;
    private readonly SwapCostModel _costs;
    private readonly GasMarket _gas;
    private readonly TimeProvider _time;
    private readonly int _quoteColumn = -1;
    private readonly double[] _quoteCloses;
    private readonly int[]?[] _lastPriced;
    private readonly List<SwapFill> _fills = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PoolState> _pools = new(StringComparer.Ordinal);
    private VenueSnapshot? _anchor;
    private int _bar = -1;

    /// <summary>Creates the venue.</summary>
    /// <param name="market">Closes (and volumes for <see cref="PoolDepthMode.FromVolume"/>) of every tradable asset.</param>
    /// <param name="options">Pool sizing and the quote asset.</param>
    /// <param name="costs">Fee, gas units and slippage; the same model prices estimates and fills.</param>
    /// <param name="gas">Gas and native-token prices over time.</param>
    /// <param name="time">The clock.</param>
    /// <exception cref="ArgumentException">The options are invalid, or volume-derived depth is asked of a panel without volume.</exception>
    public SimulatedVenue(PricePanel market, SimulatedVenueOptions options, SwapCostModel costs, GasMarket gas, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(gas);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        if (options.DepthMode == PoolDepthMode.FromVolume && !market.HasVolume)
        {
            throw new ArgumentException("Volume-derived pool depth needs a panel with volumes.", nameof(market));
        }

        _market = market;
        _options = options;
        _costs = costs;
        _gas = gas;
        _time = time;
        if (market.TryGetIndex(options.QuoteAsset, out var q))
        {
            _quoteColumn = q;
        }

        _quoteCloses = QuotePrices.QuoteCloses(market, options.QuoteAsset);
        _lastPriced = new int[]?[market.AssetCount];
    }

    /// <inheritdoc />
    public string QuoteAsset => _options.QuoteAsset;

    /// <summary>Every fill so far, oldest first.</summary>
    public IReadOnlyList<SwapFill> Fills
    {
        get
        {
            lock (_gate)
            {
                return [.. _fills];
            }
        }
    }

    /// <inheritdoc />
    public Task<VenueSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(Current());
        }
    }

    /// <inheritdoc />
    public Task<SwapQuote> QuoteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var snapshot = Current();
            var (pool, estimate) = Price(snapshot, order);
            return Task.FromResult(new SwapQuote(order, pool.Id, snapshot.Time, estimate));
        }
    }

    /// <inheritdoc />
    public Task<SwapFill> ExecuteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var snapshot = Current();
            var (pool, e) = Price(snapshot, order);
            var gasNative = snapshot.Gas.CostNative(e.GasUnits);
            SwapFill fill;
            if (e.AmountOut < order.MinAmountOut)
            {
                fill = new SwapFill(order, pool.Id, snapshot.Time, FillStatus.Reverted, 0, 0, 0, 0, 0, e.GasUnits, gasNative, e.GasQuote);
            }
            else
            {
                var moved = pool.Token0 == order.AssetIn
                    ? pool with { Reserve0 = pool.Reserve0 + order.AmountIn, Reserve1 = pool.Reserve1 - e.AmountOut }
                    : pool with { Reserve1 = pool.Reserve1 + order.AmountIn, Reserve0 = pool.Reserve0 - e.AmountOut };
                _pools[pool.Id] = moved;
                fill = new SwapFill(order, pool.Id, snapshot.Time, FillStatus.Filled, order.AmountIn, e.AmountOut, e.FeeQuote, e.ImpactQuote, e.PriceImpactBps, e.GasUnits, gasNative, e.GasQuote);
            }

            _fills.Add(fill);
            return Task.FromResult(fill);
        }
    }

    private (PoolState Pool, SwapCostEstimate Estimate) Price(VenueSnapshot snapshot, SwapOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!(order.AmountIn > 0) || order.MinAmountOut < 0)
        {
            throw new VenueException($"Order {order.AssetIn}→{order.AssetOut}: the input must be positive and the minimum output non-negative (got {order.AmountIn}, {order.MinAmountOut}).");
        }

        if (!snapshot.TryGetPool(order.AssetIn, order.AssetOut, out var pool))
        {
            throw new VenueException($"No pool trades {order.AssetIn}/{order.AssetOut} at {snapshot.Time:O}.");
        }

        var estimate = _costs.Estimate(
            order.AmountIn,
            pool.ReserveOf(order.AssetIn),
            pool.ReserveOf(order.AssetOut),
            snapshot.ReferencePrice(order.AssetIn),
            snapshot.ReferencePrice(order.AssetOut),
            snapshot.Gas,
            pool.FeeBps);
        return (pool, estimate);
    }

    /// <summary>The snapshot at the clock's bar, re-anchoring the pools when the bar has changed.</summary>
    private VenueSnapshot Current()
    {
        var now = _time.GetUtcNow();
        var bar = _market.BarAtOrBefore(now - _market.Interval.Length);
        if (bar < 0)
        {
            throw new VenueException($"The simulated venue has no completed bar at {now:O}; the market starts at {_market.Start:O}.");
        }

        if (bar != _bar || _anchor is null)
        {
            Anchor(bar, now);
        }

        return new VenueSnapshot(now, QuoteAsset, [.. _pools.Values], _anchor!.ReferencePrices, _anchor.Gas, _anchor.LastPrices);
    }

    private void Anchor(int bar, DateTimeOffset now)
    {
        _bar = bar;
        _pools.Clear();
        var prices = new Dictionary<string, double>(StringComparer.Ordinal);
        var depths = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var lastPrices = new Dictionary<string, LastPrice>(StringComparer.Ordinal);
        for (var a = 0; a < _market.AssetCount; a++)
        {
            var symbol = _market.Assets[a];
            var price = PriceAt(a, bar);
            if (a == _quoteColumn)
            {
                continue;
            }

            if (double.IsNaN(price))
            {
                var last = LastPricedBar(a, bar);
                if (last >= 0)
                {
                    lastPrices[symbol] = new LastPrice(PriceAt(a, last), _market.Timestamps[last] + _market.Interval.Length);
                }

                continue;
            }

            prices[symbol] = price;
            var depth = Depth(a, bar);
            depths[symbol] = depth;
            var id = symbol + "/" + QuoteAsset;
            _pools[id] = new PoolState(id, symbol, QuoteAsset, depth / (decimal)price, depth, _costs.Options.PoolFeeBps);
        }

        foreach (var pair in _options.DirectPairs)
        {
            var parts = pair.Split('/');
            if (depths.TryGetValue(parts[0], out var d0) && depths.TryGetValue(parts[1], out var d1))
            {
                var depth = Math.Min(d0, d1);
                _pools[pair] = new PoolState(pair, parts[0], parts[1], depth / (decimal)prices[parts[0]], depth / (decimal)prices[parts[1]], _costs.Options.PoolFeeBps);
            }
        }

        _anchor = new VenueSnapshot(now, QuoteAsset, [], prices, _gas.At(now), lastPrices);
    }

    private double PriceAt(int asset, int bar) => QuotePrices.InQuote(_market.Close(asset)[bar], _quoteCloses[bar]);

    /// <summary>The last bar at or before <paramref name="bar"/> at which <paramref name="asset"/> was priced, or -1.</summary>
    private int LastPricedBar(int asset, int bar)
    {
        var lastPriced = _lastPriced[asset];
        if (lastPriced is null)
        {
            lastPriced = new int[_market.BarCount];
            var last = -1;
            for (var t = 0; t < lastPriced.Length; t++)
            {
                if (!double.IsNaN(PriceAt(asset, t)))
                {
                    last = t;
                }

                lastPriced[t] = last;
            }

            _lastPriced[asset] = lastPriced;
        }

        return lastPriced[bar];
    }

    private decimal Depth(int asset, int bar)
    {
        if (_options.DepthMode == PoolDepthMode.Fixed)
        {
            return _options.FixedDepthQuote;
        }

        var volume = _market.Volume(asset);
        double sum = 0;
        var count = 0;
        for (var k = Math.Max(0, bar - _options.VolumeWindowBars + 1); k <= bar; k++)
        {
            if (double.IsFinite(volume[k]))
            {
                sum += volume[k];
                count++;
            }
        }

        var depth = count == 0 ? 0 : _options.DepthVolumeMultiple * sum / count;
        return Math.Max(_options.MinDepthQuote, (decimal)Math.Min(depth, 1e15));
    }
}
