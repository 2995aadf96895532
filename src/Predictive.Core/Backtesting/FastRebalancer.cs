using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The trade planner, plan executor and simulated venue of one move to the target, in <c>double</c>, for the case a
/// backtest meets on nearly every trade bar: pools against the quote asset only, of fixed depth, every asset priced,
/// and every leg within the impact limit, so the whole plan executes at the bar it is made.
/// </summary>
/// <remarks>
/// <para>It follows <see cref="Rebalancing.Planning.TradePlanner"/> step by step: legs below the minimum trade (or a
/// dust floor of 10⁻⁹ of the portfolio) are skipped; sells go first, each through its constant-product pool with the
/// fee taken from the input; buys are funded by cash plus sell proceeds minus gas, scaled down together to fit; every
/// swap pays one swap's gas in the quote asset. The exact output formula is the one of
/// <see cref="ConstantProduct.AmountOut"/>, evaluated in binary instead of decimal floating point, so results agree
/// with the <c>decimal</c> path to rounding (about 10⁻¹⁴ relative per trade; a test holds a seeded backtest to 10⁻⁹).</para>
/// <para>Anything else (a leg that would be split into TWAP slices, a missing price) makes
/// <see cref="TryRebalance"/> return false before it changes anything, and the backtester runs the exact path.</para>
/// </remarks>
internal sealed class FastRebalancer
{
    private const double BpsScale = 10_000;
    private readonly BacktestMarket _m;
    private readonly double _depth;
    private readonly int _feeBps;
    private readonly double _minTrade;
    private readonly double _maxInAfterFeeFactor;
    private readonly double[] _units;
    private readonly double[] _buy;

    private FastRebalancer(BacktestMarket market)
    {
        _m = market;
        _depth = (double)market.VenueOptions.FixedDepthQuote;
        _feeBps = market.CostModel.Options.PoolFeeBps;
        _minTrade = (double)market.PlannerOptions.MinTradeQuote;
        // As the planner: the closed-form impact limit on the input, a hair under it (ConstantProduct.MaxAmountInForImpact).
        var limit = market.PlannerOptions.MaxPriceImpactBps / 10_000;
        _maxInAfterFeeFactor = limit / (1 - limit) / (1 - (_feeBps / BpsScale)) * 0.999999;
        _units = new double[market.Assets.Count];
        _buy = new double[market.Assets.Count];
    }

    /// <summary>A fast rebalancer when the market and options allow one; null when every trade must take the exact path.</summary>
    public static FastRebalancer? TryCreate(BacktestMarket market, BacktestOptions options) =>
        options.ExactArithmetic
        || options.Guards.Count > 0
        || options.Reference is not null
        || market.VenueOptions.DepthMode != PoolDepthMode.Fixed
        || market.VenueOptions.DirectPairs.Count > 0
            ? null
            : new FastRebalancer(market);

    /// <summary>
    /// Moves <paramref name="qty"/> and <paramref name="cash"/> to <paramref name="target"/> at bar <paramref name="t"/>
    /// and appends the swaps to <paramref name="trades"/>; returns false, having changed nothing, when the move needs the
    /// exact path.
    /// </summary>
    /// <param name="t">The panel bar.</param>
    /// <param name="i">The bar counted from the backtest's start (recorded with the trades).</param>
    /// <param name="time">The bar's close, the fills' time.</param>
    /// <param name="target">Target weights over the market's assets.</param>
    /// <param name="qty">Held quantities per asset.</param>
    /// <param name="cash">Held quote asset.</param>
    /// <param name="trades">Where the swaps go.</param>
    public bool TryRebalance(int t, int i, DateTimeOffset time, ReadOnlySpan<double> target, double[] qty, ref double cash, List<BacktestTrade> trades)
    {
        var p = _m.Prices(t);
        var n = p.Length;
        var value = cash;
        for (var a = 0; a < n; a++)
        {
            if (!(p[a] > 0))
            {
                return false;
            }

            if (qty[a] != 0)
            {
                value += qty[a] * p[a];
            }
        }

        var floor = Math.Max(_minTrade, value * 1e-9);
        var maxQuoteIn = _depth * _maxInAfterFeeFactor;
        if (!(floor > 0))
        {
            return false;
        }

        // Plan: sell units and buy amounts, before anything changes.
        for (var a = 0; a < n; a++)
        {
            var held = qty[a];
            var goal = target[a] * value;
            var delta = goal - (held * p[a]);
            _units[a] = 0;
            _buy[a] = 0;
            if (delta <= -floor && held > 0)
            {
                // Selling out completely leaves no dust behind.
                var units = goal <= 0 ? held : Math.Min(held, -delta / p[a]);
                if (units * p[a] >= floor)
                {
                    if (units > _depth / p[a] * _maxInAfterFeeFactor)
                    {
                        return false; // would be sliced over several bars
                    }

                    _units[a] = units;
                }
            }
            else if (delta >= floor)
            {
                if (delta > maxQuoteIn)
                {
                    return false; // would be sliced over several bars
                }

                _buy[a] = delta;
            }
        }

        var gas = _m.GasPerSwapQuote(t);
        var quote = _m.QuoteAsset;
        var assets = _m.Assets;

        // Sells: each pool is fresh this bar, so the fill is the plan's estimate.
        var available = cash;
        for (var a = 0; a < n; a++)
        {
            var units = _units[a];
            if (units == 0)
            {
                continue;
            }

            var reserveIn = _depth / p[a];
            var got = AmountOut(units, reserveIn, _depth);
            available += got - gas;
            qty[a] -= units;
            cash += got - gas;
            trades.Add(Trade(i, time, assets[a], quote, units, got, units * p[a], 1.0, gas));
        }

        // Buys: funded together, scaled down to what the cash and proceeds (less the buys' own gas) allow.
        double want = 0;
        var count = 0;
        for (var a = 0; a < n; a++)
        {
            if (_buy[a] > 0)
            {
                want += _buy[a];
                count++;
            }
        }

        var spendable = available - (gas * count);
        var scale = spendable <= 0 || want <= 0 ? 0 : Math.Min(1, spendable / want);
        for (var a = 0; a < n; a++)
        {
            var amount = _buy[a] * scale;
            if (_buy[a] == 0 || amount < floor)
            {
                continue;
            }

            // The executor never sends more than is held.
            amount = Math.Min(amount, cash);
            if (amount <= 0)
            {
                continue;
            }

            var got = AmountOut(amount, _depth, _depth / p[a]);
            cash -= amount + gas;
            qty[a] += got;
            trades.Add(Trade(i, time, quote, assets[a], amount, got, amount, p[a], gas));
        }

        return true;
    }

    /// <summary><see cref="ConstantProduct.AmountOut"/> in double: in·(10⁴ − fee)·reserveOut / (reserveIn·10⁴ + in·(10⁴ − fee)).</summary>
    private double AmountOut(double amountIn, double reserveIn, double reserveOut)
    {
        var inAfterFee = amountIn * (BpsScale - _feeBps);
        return inAfterFee * reserveOut / ((reserveIn * BpsScale) + inAfterFee);
    }

    /// <summary>The trade record with the cost split of <see cref="SwapCostModel.Estimate"/>.</summary>
    private BacktestTrade Trade(int i, DateTimeOffset time, string assetIn, string assetOut, double amountIn, double amountOut, double notional, double priceOut, double gas)
    {
        var fee = notional * _feeBps / BpsScale;
        var impact = notional - fee - (amountOut * priceOut);
        return new BacktestTrade(i, time, assetIn, assetOut, (decimal)amountIn, (decimal)amountOut, (decimal)notional, (decimal)fee, (decimal)impact, (decimal)gas, FillStatus.Filled);
    }
}
