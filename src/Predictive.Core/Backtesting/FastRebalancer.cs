using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The trade planner, plan executor and simulated venue of one move to a target, in <c>double</c>, for the case a
/// backtest meets on nearly every trade bar: pools against the quote asset only, of fixed depth, every asset priced,
/// and every leg within the impact limit, so the whole plan executes at the bar it is made. It also prices such a move
/// without making it (<see cref="TryEstimate"/>), the planner's job as the policies' cost estimator.
/// </summary>
/// <remarks>
/// <para>It holds no rule of its own: which legs trade, how buys are funded, the constant-product output and the split
/// of a swap's cost are <see cref="LegRules"/>, the code <see cref="TradePlanner"/> runs on <c>decimal</c>. What is
/// here is the bookkeeping of that one case: sells first, each through its pool at the bar's price, then buys funded
/// together from cash plus proceeds less gas, one swap's gas each. The results agree with the <c>decimal</c> path to
/// rounding (about 10⁻¹⁴ relative per trade; a test holds every policy's seeded backtest to 10⁻⁹).</para>
/// <para>Anything else (a leg that would be split into TWAP slices, a missing price, a buy too small to fund once
/// scaled) makes <see cref="TryRebalance"/> and <see cref="TryEstimate"/> return false before anything changes, and the
/// backtester runs the exact path.</para>
/// </remarks>
internal sealed class FastRebalancer
{
    private readonly BacktestMarket _m;
    private readonly double _depth;
    private readonly int _feeBps;
    private readonly double _minTrade;
    private readonly double _maxInAfterFeeFactor;
    private readonly double[] _units;
    private readonly double[] _buy;
    private readonly double[] _held;

    private FastRebalancer(BacktestMarket market)
    {
        _m = market;
        _depth = (double)market.VenueOptions.FixedDepthQuote;
        _feeBps = market.CostModel.Options.PoolFeeBps;
        _minTrade = (double)market.PlannerOptions.MinTradeQuote;
        // As the planner: the closed-form impact limit on the input, a hair under it (ConstantProduct.MaxAmountInForImpact).
        var limit = market.PlannerOptions.MaxPriceImpactBps / 10_000;
        _maxInAfterFeeFactor = limit / (1 - limit) / (1 - (_feeBps / 10_000.0)) * 0.999999;
        _units = new double[market.Assets.Count];
        _buy = new double[market.Assets.Count];
        _held = new double[market.Assets.Count];
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
    /// The planner's estimate of moving from <paramref name="current"/> weights to <paramref name="candidate"/> at bar
    /// <paramref name="t"/>, as <see cref="TradePlanner.EstimateCost"/> makes it: the holdings those weights imply of a
    /// portfolio worth <paramref name="value"/> (no cash), every swap's fee, impact and gas. False when the plan would
    /// not fit in one bar.
    /// </summary>
    public bool TryEstimate(int t, ReadOnlySpan<double> current, ReadOnlySpan<double> candidate, double value, out int swaps, out double costQuote)
    {
        var p = _m.Prices(t);
        for (var a = 0; a < p.Length; a++)
        {
            _held[a] = current[a] == 0 ? 0 : current[a] * value / p[a];
        }

        swaps = 0;
        costQuote = 0;
        double cash = 0;
        if (!Plan(t, candidate, _held, ref cash, out var invested))
        {
            return false;
        }

        var gas = _m.GasPerSwapQuote(t);
        for (var a = 0; a < p.Length; a++)
        {
            if (_units[a] > 0)
            {
                var notional = _units[a] * p[a];
                var (fee, impact) = LegRules.FeeAndImpact(notional, LegRules.AmountOut(_units[a], _depth / p[a], _depth, _feeBps), 1.0, _feeBps);
                costQuote += fee + impact + gas;
                swaps++;
            }
        }

        var scale = invested.Scale;
        for (var a = 0; a < p.Length; a++)
        {
            if (_buy[a] > 0)
            {
                var amount = _buy[a] * scale;
                var (fee, impact) = LegRules.FeeAndImpact(amount, LegRules.AmountOut(amount, _depth, _depth / p[a], _feeBps), p[a], _feeBps);
                costQuote += fee + impact + gas;
                swaps++;
            }
        }

        return true;
    }

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
        var available = cash;
        if (!Plan(t, target, qty, ref available, out var invested))
        {
            return false;
        }

        var p = _m.Prices(t);
        var n = p.Length;
        var gas = _m.GasPerSwapQuote(t);
        var quote = _m.QuoteAsset;
        var assets = _m.Assets;

        // Sells: each pool is fresh this bar, so the fill is the plan's estimate.
        for (var a = 0; a < n; a++)
        {
            var units = _units[a];
            if (units == 0)
            {
                continue;
            }

            var got = LegRules.AmountOut(units, _depth / p[a], _depth, _feeBps);
            qty[a] -= units;
            cash += got - gas;
            trades.Add(Trade(i, time, assets[a], quote, units, got, units * p[a], 1.0, gas));
        }

        var scale = invested.Scale;
        for (var a = 0; a < n; a++)
        {
            if (_buy[a] == 0)
            {
                continue;
            }

            // The executor never sends more than is held, nor a rounding residue of the planned amount.
            var amount = Math.Min(_buy[a] * scale, cash);
            if (amount <= _buy[a] * scale * (double)PlanExecutor.ResidueFraction)
            {
                continue;
            }

            var got = LegRules.AmountOut(amount, _depth, _depth / p[a], _feeBps);
            cash -= amount + gas;
            qty[a] += got;
            trades.Add(Trade(i, time, quote, assets[a], amount, got, amount, p[a], gas));
        }

        return true;
    }

    /// <summary>
    /// The one-bar plan: sell units into <see cref="_units"/> and wanted buys into <see cref="_buy"/> (buys that will be
    /// skipped once scaled are cleared), with the funding scale. False when a leg would be sliced or a price is missing.
    /// </summary>
    private bool Plan(int t, ReadOnlySpan<double> target, ReadOnlySpan<double> qty, ref double cash, out Funding funding)
    {
        funding = default;
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

        var floor = LegRules.Floor(_minTrade, value);
        var maxQuoteIn = _depth * _maxInAfterFeeFactor;
        if (!(floor > 0))
        {
            return false;
        }

        var gas = _m.GasPerSwapQuote(t);
        var available = cash;
        double want = 0;
        var count = 0;
        for (var a = 0; a < n; a++)
        {
            var (units, buy) = LegRules.Leg(qty[a], target[a] * value, p[a], floor);
            if (units > _depth / p[a] * _maxInAfterFeeFactor || buy > maxQuoteIn)
            {
                return false; // would be sliced over several bars
            }

            _units[a] = units;
            _buy[a] = buy;
            if (units > 0)
            {
                available += LegRules.AmountOut(units, _depth / p[a], _depth, _feeBps) - gas;
            }
            else if (buy > 0)
            {
                want += buy;
                count++;
            }
        }

        var scale = LegRules.FundingScale(available, gas, count, want);
        if (scale < 1 && !NothingLeftForLaterBars(n, scale, available, gas, floor, maxQuoteIn))
        {
            return false; // the planner would place a second round of buys on the next bar
        }

        for (var a = 0; a < n; a++)
        {
            if (_buy[a] > 0 && _buy[a] * scale < floor)
            {
                _buy[a] = 0; // scaled below the floor: not placed
            }
        }

        cash = available;
        funding = new Funding(scale);
        return true;
    }

    /// <summary>
    /// The planner's next funding round (bar 1, no new proceeds) as it would run after this one: the buys still short by
    /// at least the floor, funded from what this round left. True when it places nothing, so the plan is one bar.
    /// </summary>
    private bool NothingLeftForLaterBars(int n, double scale, double available, double gas, double floor, double maxQuoteIn)
    {
        var left = available;
        double want = 0;
        var count = 0;
        for (var a = 0; a < n; a++)
        {
            if (_buy[a] == 0)
            {
                continue;
            }

            var placed = _buy[a] * scale;
            var remaining = _buy[a];
            if (placed >= floor)
            {
                left -= placed + gas;
                remaining -= placed;
            }

            if (remaining >= floor)
            {
                want += Math.Min(remaining, maxQuoteIn);
                count++;
            }
        }

        var next = LegRules.FundingScale(left, gas, count, want);
        for (var a = 0; a < n && next > 0; a++)
        {
            if (_buy[a] == 0)
            {
                continue;
            }

            var placed = _buy[a] * scale;
            var remaining = placed >= floor ? _buy[a] - placed : _buy[a];
            if (remaining >= floor && Math.Min(remaining, maxQuoteIn) * next >= floor)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The trade record with the cost split of <see cref="SwapCostModel.Estimate"/>.</summary>
    private BacktestTrade Trade(int i, DateTimeOffset time, string assetIn, string assetOut, double amountIn, double amountOut, double notional, double priceOut, double gas)
    {
        var (fee, impact) = LegRules.FeeAndImpact(notional, amountOut, priceOut, _feeBps);
        return new BacktestTrade(i, time, assetIn, assetOut, (decimal)amountIn, (decimal)amountOut, (decimal)notional, (decimal)fee, (decimal)impact, (decimal)gas, FillStatus.Filled);
    }

    private readonly record struct Funding(double Scale);
}
