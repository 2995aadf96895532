using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Predictive.Core.Features;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Rebalancing.Policies;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The trade planner, plan executor and simulated venue of one move to a target, in <c>double</c>, on pools against
/// the quote asset only, of fixed depth, with every asset priced. It prices any such plan, TWAP slices and later
/// funding rounds included (<see cref="TryEstimate"/>, the planner's job as the policies' cost estimator), and carries
/// out the plans that execute at the bar they are made (<see cref="TryRebalance"/>).
/// </summary>
/// <remarks>
/// <para>It holds no rule of its own: which legs trade, how orders are sliced, how buys are funded round by round, the
/// constant-product output and the split of a swap's cost are <see cref="LegRules"/>, the code <see cref="TradePlanner"/>
/// runs on <c>decimal</c>. What is here is the bookkeeping: sells first, each sliced through its pool at the bar's
/// price (every slice on the bar's fresh pool, as the planner estimates it), then the buys' funding rounds from cash
/// plus each bar offset's proceeds less gas. The results agree with the <c>decimal</c> path to rounding (about 10⁻¹⁴
/// relative per trade; a test holds every policy's seeded backtest to 10⁻⁹).</para>
/// <para>A move whose plan spans more than one bar, or a missing price, makes <see cref="TryRebalance"/> return false
/// before anything changes, and the backtester runs the exact path (which executes later slices when they come due).</para>
/// </remarks>
internal sealed class FastRebalancer
{
    /// <summary><see cref="PlanExecutor.ResidueFraction"/> in double, converted once.</summary>
    private static readonly double ResidueFraction = (double)PlanExecutor.ResidueFraction;

    private readonly BacktestMarket _m;
    private readonly double _depth;
    private readonly int _feeBps;

    /// <summary>The pool fee as a fraction, <see cref="_feeBps"/> / 10⁴.</summary>
    private readonly double _feeRate;
    private readonly double _minTrade;
    private readonly double _maxInAfterFeeFactor;
    private readonly int _maxSlices;

    /// <summary>The largest quote input of one swap into any pool (every pool has the same fixed depth): the impact limit.</summary>
    private readonly double _maxQuotePerSlice;
    private readonly double[] _units;
    private readonly double[] _remaining;
    private readonly double[] _maxQuoteIn;
    private readonly double[] _wants;
    private readonly int[] _slices;
    private readonly double[] _buy;
    private readonly double[] _sellOut;
    private readonly double[] _buyOut;
    private readonly double[] _held;
    private readonly double[] _proceeds;
    private readonly double[] _sellGaps;
    private readonly double[] _sellTail;

    /// <summary>The assets whose sell (first slice) the last plan placed at this bar, 64 to a word: the swaps are carried out by walking the set bits in index order, without a branch on each asset.</summary>
    private readonly ulong[] _sellBits;

    /// <summary>The assets whose buy the last plan placed at this bar, as <see cref="_sellBits"/>.</summary>
    private readonly ulong[] _buyBits;
    private readonly int[] _pending;
    private int _bar;

    /// <summary>The grid <see cref="_smallestScale"/> was formed for (0 before the first).</summary>
    private int _scaleGrid;

    /// <summary>1 − α at the cost-aware search's smallest grid point of <see cref="_scaleGrid"/> steps, formed once per grid rather than divided per bar.</summary>
    private double _smallestScale;
    private bool _multiBar;
    private bool _priced;
    private int _swaps;
    private double _cost;
    private int _sells;
    private double _sellValue;

    private FastRebalancer(BacktestMarket market)
    {
        _m = market;
        _depth = (double)market.VenueOptions.FixedDepthQuote;
        _feeBps = market.CostModel.Options.PoolFeeBps;
        _feeRate = _feeBps / 10_000.0;
        _minTrade = (double)market.PlannerOptions.MinTradeQuote;
        // As the planner: the closed-form impact limit on the input, a hair under it (ConstantProduct.MaxAmountInForImpact).
        var limit = market.PlannerOptions.MaxPriceImpactBps / 10_000;
        _maxInAfterFeeFactor = limit / (1 - limit) / (1 - (_feeBps / 10_000.0)) * 0.999999;
        _maxSlices = market.PlannerOptions.MaxSlices;
        var n = market.Assets.Count;
        (_units, _remaining, _maxQuoteIn, _wants, _buy, _held) = (new double[n], new double[n], new double[n], new double[n], new double[n], new double[n]);
        (_sellOut, _buyOut) = (new double[n], new double[n]);
        _slices = new int[n];
        (_sellGaps, _sellTail) = (new double[n], new double[n + 1]);
        _proceeds = new double[_maxSlices];
        (_sellBits, _buyBits) = (new ulong[(n + 63) / 64], new ulong[(n + 63) / 64]);
        _maxQuotePerSlice = _depth * _maxInAfterFeeFactor;
        Array.Fill(_maxQuoteIn, _maxQuotePerSlice);
        _pending = new int[n];
    }

    /// <summary>Whether the last <see cref="TryRebalance"/> that returned true changed the holdings (false when its plan placed no swap).</summary>
    public bool Traded { get; private set; }

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
    /// portfolio worth <paramref name="value"/> (no cash), every swap's fee, impact and gas, slices and later funding
    /// rounds included. False when a price is missing.
    /// </summary>
    public bool TryEstimate(int t, ReadOnlySpan<double> current, ReadOnlySpan<double> candidate, double value, out int swaps, out double costQuote)
    {
        var p = _m.Prices(t);
        for (var a = 0; a < p.Length; a++)
        {
            _held[a] = current[a] == 0 ? 0 : current[a] * value / p[a];
        }

        var ok = Plan(t, candidate, _held, 0, BarMath.Value(_held, p, 0), priced: true);
        swaps = _swaps;
        costQuote = _cost;
        return ok;
    }

    /// <summary>
    /// Whether the sells alone rule out every candidate of the cost-aware search at once, the common case, in O(n)
    /// without sorting. The search passes over a candidate whose benefit K(1 − α²) less the larger of one swap's gas and
    /// <see cref="SellCostFloor"/> is at most the minimum net benefit. The sell legs that stay at or above the floor at
    /// every grid point and below the slice cap at all (L of them, c their gaps' total times the fee rate) are part of
    /// that floor at every α, so it is at least c·(1 − α) + max(L, 1)·gas, and a candidate's benefit less it is at most
    /// (2K − c)²/(4K) − max(L, 1)·gas over all α (0 in place of the square when 2K &lt; c). When that is below the
    /// minimum net benefit by more than rounding (10⁻¹² of the terms), the search would find nothing; false means run
    /// the search.
    /// </summary>
    /// <param name="t">The bar.</param>
    /// <param name="current">The weights now.</param>
    /// <param name="target">The target weights.</param>
    /// <param name="value">The portfolio's value.</param>
    /// <param name="k0">The benefit of moving all the way, K.</param>
    /// <param name="gridSteps">The search's grid.</param>
    /// <param name="minNet">The minimum net benefit.</param>
    /// <exception cref="ArgumentException">The weights and the target have different lengths.</exception>
    public bool SellsRuleOutEveryCandidate(int t, ReadOnlySpan<double> current, ReadOnlySpan<double> target, double value, double k0, int gridSteps, double minNet)
    {
        if (target.Length != current.Length)
        {
            throw new ArgumentException($"target holds {target.Length} weights and current {current.Length}; they must match (the loop reads both through references).", nameof(target));
        }

        var floor = LegRules.Floor(_minTrade, value) * (1 + 1e-6);
        if (!(k0 > 0) || _maxQuotePerSlice < 2 * floor)
        {
            return false;
        }

        // A leg counts when even its smallest grid point's share of the gap reaches the floor, and no grid point's is capped.
        var smallestScale = SmallestScale(gridSteps);
        var below = _maxQuotePerSlice * _maxSlices;
        double total = 0;
        var legs = 0;
        var a = 0;
        if (Vector256.IsHardwareAccelerated && current.Length >= Vector256<double>.Count)
        {
            // 4 assets at a time, without a branch on each gap's sign; the total's order differs within the margin below.
            // Read through references (each span holds n values, the loop stops at a whole vector): no bounds checks.
            ref readonly double w = ref MemoryMarshal.GetReference(current), g = ref MemoryMarshal.GetReference(target);
            var (v, scale, reach, cap) = (Vector256.Create(value), Vector256.Create(smallestScale), Vector256.Create(floor), Vector256.Create(below));
            var sum = Vector256<double>.Zero;
            var whole = (nuint)(current.Length / Vector256<double>.Count * Vector256<double>.Count);
            for (nuint k = 0; k < whole; k += (nuint)Vector256<double>.Count)
            {
                var gap = (Vector256.LoadUnsafe(in w, k) - Vector256.LoadUnsafe(in g, k)) * v;
                var counts = Vector256.GreaterThanOrEqual(scale * gap, reach) & Vector256.LessThan(gap, cap);
                sum += gap & counts;
                legs += BitOperations.PopCount(counts.ExtractMostSignificantBits());
            }

            total = Lanes.Sum(sum);
            a = (int)whole;
        }

        for (; a < current.Length; a++)
        {
            // The same comparison SellCostFloor's Leading makes at the smallest grid point.
            var gap = (current[a] - target[a]) * value;
            if (smallestScale * gap >= floor && gap < below)
            {
                legs++;
                total += gap;
            }
        }

        var c = (1 - 1e-6) * _feeRate * total;
        return RuleOut(k0, c, c, Math.Max(legs, 1) * _m.GasPerSwapQuote(t), minNet);
    }

    /// <summary>
    /// <see cref="SellsRuleOutEveryCandidate"/> answered in O(1) from the drift's totals, where that is certain; false
    /// means ask the pass. The sell gaps (wᵢ − w*ᵢ)·V &gt; 0 add up to V·(Σ|wᵢ − w*ᵢ| + Σ(wᵢ − w*ᵢ))/2; those the pass
    /// leaves out at the smallest grid point are each below floor/scale, n of them at most, and none is cut to the slice
    /// cap while the largest |wᵢ − w*ᵢ|·V is below it. So c is at least the fee rate times that total less n·floor/scale,
    /// and the legs number at least one: with c no larger and max(L, 1)·gas no larger than the pass's (and the margin
    /// formed with c no smaller, V·Σ|wᵢ − w*ᵢ| times the fee rate), (2K − c)²/(4K) − gas is no smaller than the pass's
    /// own bound, so true here is true there. The totals are kept a hair on the safe side of their rounding (10⁻⁹ of
    /// the value).
    /// </summary>
    /// <param name="t">The bar.</param>
    /// <param name="value">The portfolio's value, V.</param>
    /// <param name="l1">Σ|wᵢ − w*ᵢ|.</param>
    /// <param name="maxAbs">The largest |wᵢ − w*ᵢ|.</param>
    /// <param name="net">Σ(wᵢ − w*ᵢ): the assets' weight, 1 less the quote held, less the target's total.</param>
    /// <param name="assets">n, the number of assets.</param>
    /// <param name="k0">The benefit of moving all the way, K.</param>
    /// <param name="gridSteps">The search's grid.</param>
    /// <param name="minNet">The minimum net benefit.</param>
    public bool SellsRuleOutFromTotals(int t, double value, double l1, double maxAbs, double net, int assets, double k0, int gridSteps, double minNet)
    {
        var floor = LegRules.Floor(_minTrade, value) * (1 + 1e-6);
        var cap = _maxQuotePerSlice * _maxSlices;
        if (!(k0 > 0 && value > 0 && l1 >= 0) || _maxQuotePerSlice < 2 * floor || !(maxAbs * value * (1 + 1e-9) < cap))
        {
            return false;
        }

        var sells = (value * (l1 + net - 1e-9) / 2) - (assets * floor / SmallestScale(gridSteps));
        var c = (1 - 1e-6) * _feeRate * Math.Max(0, sells);
        return RuleOut(k0, c, _feeRate * value * l1, _m.GasPerSwapQuote(t), minNet);
    }

    /// <summary>1 − α at the smallest point of a grid of <paramref name="gridSteps"/> steps, formed once per grid (<see cref="_smallestScale"/>).</summary>
    private double SmallestScale(int gridSteps)
    {
        if (gridSteps != _scaleGrid)
        {
            (_scaleGrid, _smallestScale) = (gridSteps, 1 - CostAwareBandPolicy.Alpha(gridSteps - 1, gridSteps));
        }

        return _smallestScale;
    }

    /// <summary>
    /// Whether a candidate's benefit less the sells' cost floor, at most (2K − c)²/(4K) − gas over all α (0 in place of
    /// the square when 2K &lt; c), is below the minimum net benefit by more than rounding: 10⁻¹² of the terms, with c
    /// taken as <paramref name="cMargin"/> there.
    /// </summary>
    private static bool RuleOut(double k0, double c, double cMargin, double gas, double minNet)
    {
        var rise = Math.Max(0, (2 * k0) - c);
        // (2K − c)²/(4K) − gas ≤ minNet less the margin, times 4K > 0: no division on the bar's critical path.
        return rise * rise <= 4 * k0 * (minNet + gas - (1e-12 * (k0 + cMargin + gas + Math.Abs(minNet))));
    }

    /// <summary>
    /// Prepares <see cref="SellCostFloor"/> for moves from <paramref name="current"/> weights towards
    /// <paramref name="target"/> in a portfolio worth <paramref name="value"/>: the sell gaps (w − w*)·V &gt; 0, largest
    /// first, and their sums from the smallest up.
    /// </summary>
    public void PrepareSells(ReadOnlySpan<double> current, ReadOnlySpan<double> target, double value)
    {
        var sells = 0;
        for (var a = 0; a < current.Length; a++)
        {
            var gap = (current[a] - target[a]) * value;
            if (gap > 0)
            {
                _sellGaps[sells++] = gap;
            }
        }

        var gaps = _sellGaps.AsSpan(0, sells);
        gaps.Sort();
        gaps.Reverse();
        _sellTail[sells] = 0;
        for (var k = sells - 1; k >= 0; k--)
        {
            _sellTail[k] = _sellTail[k + 1] + gaps[k];
        }

        (_sells, _sellValue) = (sells, value);
    }

    /// <summary>
    /// A lower bound on <see cref="TryEstimate"/>'s cost of moving from the prepared weights (<see cref="PrepareSells"/>)
    /// to w* + α(w − w*) at bar <paramref name="t"/>, from the sells alone: each sell leg (1 − α)·gap the planner
    /// certainly places (at least the floor, in a pool not so thin that its slices could fall below it) pays its fee on
    /// the planned notional and at least one swap's gas; impact and the buys only add. Kept a hair low (10⁻⁶) so
    /// rounding can never put it above the estimate. O(log n): the legs above the floor and those cut to the slice
    /// limit are leading runs of the sorted gaps.
    /// </summary>
    public double SellCostFloor(int t, double alpha)
    {
        var floor = LegRules.Floor(_minTrade, _sellValue) * (1 + 1e-6);
        // Every fixed-depth pool takes at most depth · factor quote per slice; thinner than two floors, a slice may be skipped.
        if (_maxQuotePerSlice < 2 * floor)
        {
            return 0;
        }

        var cap = _maxQuotePerSlice * _maxSlices;
        var scale = 1 - alpha;
        var legs = Leading(scale, floor);
        var capped = Math.Min(legs, Leading(scale, cap));
        var notional = (capped * cap) + (scale * (_sellTail[capped] - _sellTail[legs]));
        return ((1 - 1e-6) * _feeRate * notional) + (legs * _m.GasPerSwapQuote(t));
    }

    /// <summary>How many of the sorted sell gaps, scaled by <paramref name="scale"/>, reach <paramref name="level"/>.</summary>
    private int Leading(double scale, double level)
    {
        // The gaps are sorted largest first and scale·g falls with g: when every gap (or none) reaches the level the
        // answer is at an end, which is the usual case, without the search.
        if (_sells == 0 || scale * _sellGaps[0] < level)
        {
            return 0;
        }

        if (scale * _sellGaps[_sells - 1] >= level)
        {
            return _sells;
        }

        int lo = 0, hi = _sells;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (scale * _sellGaps[mid] >= level)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>
    /// Moves <paramref name="qty"/> and <paramref name="cash"/> to <paramref name="target"/> at bar <paramref name="t"/>
    /// and appends the swaps to <paramref name="trades"/>; returns false, having changed nothing, when the move needs the
    /// exact path (its plan spans more than one bar, or a price is missing).
    /// </summary>
    /// <param name="t">The panel bar.</param>
    /// <param name="i">The bar counted from the backtest's start (recorded with the trades).</param>
    /// <param name="target">Target weights over the market's assets.</param>
    /// <param name="qty">Held quantities per asset.</param>
    /// <param name="cash">Held quote asset.</param>
    /// <param name="trades">Where the swaps go.</param>
    /// <param name="value">The holdings' value at the bar's prices as <see cref="BarMath.Value"/> sums it (the backtester has just marked them).</param>
    /// <param name="maxAbs">The largest |wᵢ − w*ᵢ| of the weights the backtester marked at <paramref name="value"/> against <paramref name="target"/> (NaN when not known): when it shows every asset within its leg's floor, <see cref="QuietAt"/> answers for <see cref="PlansNothing"/> in O(1).</param>
    public bool TryRebalance(int t, int i, ReadOnlySpan<double> target, double[] qty, ref double cash, TradeLog trades, double value, double maxAbs)
    {
        Traded = false;
        if (QuietAt(t, value, maxAbs) || PlansNothing(t, target, qty, cash, value))
        {
            return true;
        }

        if (!Plan(t, target, qty, cash, value, priced: false) || _multiBar)
        {
            return false;
        }

        var p = _m.Prices(t);
        var gas = _m.GasPerSwapQuote(t);
        // The cash in a local until the end: through the reference every swap would store it and read it back.
        var held = cash;

        // Sells: each pool is fresh this bar, so the fill is the plan's estimate. The placed swaps in index order, as the
        // set bits of each word.
        for (var word = 0; word < _sellBits.Length; word++)
        {
            for (var bits = _sellBits[word]; bits != 0; bits &= bits - 1)
            {
                var a = (word << 6) + BitOperations.TrailingZeroCount(bits);

                // The plan's own output of this sell: the same swap on the same fresh pool.
                var units = _units[a];
                qty[a] -= units;
                held += _sellOut[a] - gas;
                trades.Add(i, a, TradeLog.Quote, units);
            }
        }

        for (var word = 0; word < _buyBits.Length; word++)
        {
            for (var bits = _buyBits[word]; bits != 0; bits &= bits - 1)
            {
                var a = (word << 6) + BitOperations.TrailingZeroCount(bits);

                // The executor never sends more than is held, nor a rounding residue of the planned amount.
                var amount = Math.Min(_buy[a], held);
                if (amount <= _buy[a] * ResidueFraction)
                {
                    continue;
                }

                var got = amount == _buy[a] ? _buyOut[a] : LegRules.AmountOut(amount, _depth, _depth / p[a], _feeBps);
                held -= amount + gas;
                qty[a] += got;
                trades.Add(i, TradeLog.Quote, a, amount);
            }
        }

        (cash, Traded) = (held, true);
        return true;
    }

    /// <summary>
    /// Whether the plan of moving <paramref name="qty"/> and <paramref name="cash"/> to <paramref name="target"/> at bar
    /// <paramref name="t"/> certainly places no swap, in one O(n) pass instead of planning, the usual bar of a policy
    /// that trades to the target every bar: no asset is held above its target by a leg's floor (so nothing is sold and
    /// no proceeds come later), and the one funding round of the buys short of it by the floor places none
    /// (<see cref="LegRules.FundBuys{T, TPlacement}"/> with the cash alone: each wanted amount scaled by
    /// <see cref="LegRules.FundingScale{T}"/> stays below the floor). The plan is made at the same value, but here a
    /// held amount of 0 counts 0 (the plan multiplies it out) and the wanted amounts are summed in another order, so
    /// every comparison keeps a margin (10⁻¹² of the value and floor for a leg; that plus 10⁻⁹ of the floor for a scaled
    /// buy): false unless the plan's own numbers certainly give the same answer.
    /// False when a price is missing.
    /// </summary>
    /// <param name="t">The panel bar.</param>
    /// <param name="target">Target weights over the market's assets.</param>
    /// <param name="qty">Held quantities per asset.</param>
    /// <param name="cash">Held quote asset.</param>
    /// <param name="value">The holdings' value at the bar's prices, <see cref="BarMath.Value"/>(qty, prices, cash): the caller has it from marking them.</param>
    internal bool PlansNothing(int t, ReadOnlySpan<double> target, ReadOnlySpan<double> qty, double cash, double value)
    {
        if (!_m.AllPriced(t))
        {
            return false;
        }

        var p = _m.Prices(t);
        var floor = LegRules.Floor(_minTrade, value);
        if (!(floor > 0))
        {
            return false;
        }

        var margin = 1e-12 * (Math.Abs(value) + floor);
        var n = p.Length;
        var a = 0;
        var buys = 0;
        double wanted = 0, largest = 0;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<double>.Count)
        {
            // 4 assets at a time; the sums' order differs from the scalar loop's only within the margins.
            // Read through references (each span holds n values, the loop stops at a whole vector): no bounds checks.
            ref readonly double w = ref MemoryMarshal.GetReference(target), q = ref MemoryMarshal.GetReference(qty), pv = ref MemoryMarshal.GetReference(p);
            var (v, buyAt, quiet, cap) = (Vector256.Create(value), Vector256.Create(floor + margin), Vector256.Create(floor - margin), Vector256.Create(_maxQuotePerSlice));
            Vector256<double> sum = default, top = default, loud = default;
            var whole = (nuint)(n / Vector256<double>.Count * Vector256<double>.Count);
            for (nuint k = 0; k < whole; k += (nuint)Vector256<double>.Count)
            {
                var units = Vector256.LoadUnsafe(in q, k);
                var held = Vector256.ConditionalSelect(Vector256.Equals(units, Vector256<double>.Zero), Vector256<double>.Zero, units * Vector256.LoadUnsafe(in pv, k));
                var delta = (Vector256.LoadUnsafe(in w, k) * v) - held;
                var buy = Vector256.GreaterThanOrEqual(delta, buyAt);
                loud |= ~buy & Vector256.GreaterThan(Vector256.Abs(delta), quiet);
                var want = Vector256.ConditionalSelect(buy, Vector256.Min(delta, cap), Vector256<double>.Zero);
                sum += want;
                top = Vector256.Max(top, want);
                buys += BitOperations.PopCount(buy.ExtractMostSignificantBits());
            }

            if (loud != Vector256<double>.Zero)
            {
                return false; // a sell, or a leg too close to the floor to tell
            }

            wanted = Lanes.Sum(sum);
            largest = Math.Max(Math.Max(top.GetElement(0), top.GetElement(1)), Math.Max(top.GetElement(2), top.GetElement(3)));
            a = (int)whole;
        }

        for (; a < n; a++)
        {
            var delta = (target[a] * value) - (qty[a] == 0 ? 0 : qty[a] * p[a]);
            if (delta >= floor + margin)
            {
                var want = Math.Min(delta, _maxQuoteIn[a]);
                (buys, wanted, largest) = (buys + 1, wanted + want, Math.Max(largest, want));
            }
            else if (Math.Abs(delta) > floor - margin)
            {
                return false; // a sell, or a leg too close to the floor to tell
            }
        }

        // The value's summation order moves every wanted amount, and so the funding scale, by up to a few ulps of the
        // value, which can be far above 10⁻⁹ of a dust floor (10⁻⁹ of the value): the margin covers both.
        return buys == 0 || largest * LegRules.FundingScale(cash, _m.GasPerSwapQuote(t), buys, wanted) < (floor * (1 - 1e-9)) - margin;
    }

    /// <summary>
    /// <see cref="PlansNothing"/>'s yes in O(1), for the usual bar of a policy that trades to the target every bar: every
    /// asset's gap to its goal, |w*ᵢ·V − qᵢ·pᵢ|, is below the leg's floor by more than <see cref="PlansNothing"/>'s margin
    /// (10⁻¹² of the value and floor), so no asset sells and none buys, and the plan places no swap. The gaps are read
    /// from the largest weight gap <paramref name="maxAbs"/> of the weights wᵢ = qᵢ·pᵢ/V marked at the same value V:
    /// V·|wᵢ − w*ᵢ| differs from the gap by a few roundings of V's size, far inside a second margin.
    /// False when the value is not positive, a price is missing or <paramref name="maxAbs"/> is NaN.
    /// </summary>
    /// <param name="t">The panel bar.</param>
    /// <param name="value">The holdings' value the weights were marked at (<see cref="BarMath.Mark"/>).</param>
    /// <param name="maxAbs">The largest |wᵢ − w*ᵢ| against the plan's target.</param>
    internal bool QuietAt(int t, double value, double maxAbs)
    {
        var floor = LegRules.Floor(_minTrade, value);
        return value > 0 && maxAbs * value < floor - (2e-12 * (value + floor)) && _m.AllPriced(t);
    }

    /// <summary>The number of swaps the plan of moving <paramref name="qty"/> and <paramref name="cash"/> to <paramref name="target"/> at bar <paramref name="t"/> places at any bar (−1 when a price is missing): what <see cref="PlansNothing"/> answers for.</summary>
    internal int PlannedSwaps(int t, ReadOnlySpan<double> target, ReadOnlySpan<double> qty, double cash) =>
        Plan(t, target, qty, cash, BarMath.Value(qty, _m.Prices(t), cash), priced: false) ? _swaps : -1;

    /// <summary>
    /// The plan of moving <paramref name="qty"/> and <paramref name="cash"/>, worth <paramref name="value"/> at the bar's
    /// prices (<see cref="BarMath.Value"/>: the value the backtester marked the weights at, so the plan and the policy
    /// see one value), to <paramref name="target"/>: the first slice of each sell into <see cref="_units"/>, the buys
    /// placed at this bar into <see cref="_buy"/>, the estimated swap count of the whole plan, its estimated cost when
    /// <paramref name="priced"/> (the fees and impact are not needed to carry a plan out), and whether it spans later
    /// bars. False when a price is missing; the plan's fields are then meaningless (with more than 64 assets, blocks
    /// before the unpriced one may already have planned their legs), and no caller reads them.
    /// </summary>
    private bool Plan(int t, ReadOnlySpan<double> target, ReadOnlySpan<double> qty, double cash, double value, bool priced)
    {
        var p = _m.Prices(t);
        var n = p.Length;
        (_bar, _multiBar, _swaps, _cost, _priced) = (t, false, 0, 0, priced);
        var floor = LegRules.Floor(_minTrade, value);
        if (!(floor > 0))
        {
            return false;
        }

        // The plan's per-asset state: what each buy still wants and its placed slices start at 0 (a sell's units and a
        // buy's amount are read only where the plan sets their bit).
        _remaining.AsSpan().Clear();
        _slices.AsSpan().Clear();
        var gas = _m.GasPerSwapQuote(t);
        var offsets = 0;
        Array.Clear(_proceeds);
        Array.Clear(_sellBits);
        Array.Clear(_buyBits);
        // The assets whose leg may trade, 64 at a time: the sells in index order, then the buys (which only note what
        // they want, so the order of the two groups changes nothing), each group taking the same branches leg after leg.
        for (var first = 0; first < n; first += 64)
        {
            var (sells, buys, unpriced) = Legs(target, qty, p, value, floor, first);
            if (unpriced)
            {
                return false;
            }

            for (; sells != 0; sells &= sells - 1)
            {
                PlanLeg(first + BitOperations.TrailingZeroCount(sells), target, qty, p, value, floor, gas, priced, ref offsets);
            }

            for (; buys != 0; buys &= buys - 1)
            {
                PlanLeg(first + BitOperations.TrailingZeroCount(buys), target, qty, p, value, floor, gas, priced, ref offsets);
            }
        }

        var placement = new BuyPlacement(this);
        LegRules.FundBuys(_remaining, _maxQuoteIn, _slices, _maxSlices, cash, _proceeds.AsSpan(0, offsets), gas, floor, _wants, _pending, ref placement);
        return true;
    }

    /// <summary>Asset <paramref name="a"/>'s leg of <see cref="Plan"/>: its buy, or the first slice of its sell and that sell's proceeds per bar offset.</summary>
    private void PlanLeg(int a, ReadOnlySpan<double> target, ReadOnlySpan<double> qty, ReadOnlySpan<double> p, double value, double floor, double gas, bool priced, ref int offsets)
    {
        var (units, buy) = LegRules.Leg(qty[a], target[a] * value, p[a], floor);
        _remaining[a] = buy;
        if (!(units > 0) || !(units * p[a] >= floor))
        {
            return;
        }

        var reserveIn = _depth / p[a];
        var (count, planned) = LegRules.Slices(units, reserveIn * _maxInAfterFeeFactor, _maxSlices);
        var slice = count == 1 ? planned : planned / count;
        if (slice * p[a] < floor)
        {
            return; // slices below the minimum trade: the planner skips the sell
        }

        var got = LegRules.AmountOut(slice, reserveIn, _depth, _feeBps);
        if (priced)
        {
            var (fee, impact) = LegRules.FeeAndImpact(slice * p[a], got, 1.0, _feeBps);
            _cost += count * (fee + impact + gas);
        }

        _swaps += count;
        _units[a] = slice;
        _sellBits[a >> 6] |= 1UL << a;
        _sellOut[a] = got;
        _multiBar |= count > 1;
        offsets = Math.Max(offsets, count);
        for (var k = 0; k < count; k++)
        {
            _proceeds[k] = _proceeds[k] + got - gas;
        }
    }

    /// <summary>
    /// The assets from <paramref name="first"/> on (64 at most) whose leg may trade, one bit each (bit a − first for
    /// asset a), and whether any of them has no positive price (the plan is then not made), as two masks: those whose gap to the goal, goal − held·price with goal = target·value, is at most
    /// −floor (a sell, when anything is held) and those where it is at least the floor (a buy), formed 4 at a time with
    /// the same arithmetic <see cref="LegRules.Leg{T}"/> uses. <see cref="LegRules.Leg{T}"/> gives every other asset no
    /// sell and no buy, so skipping them changes nothing; the rule itself still decides each asset left.
    /// </summary>
    private static (ulong Sells, ulong Buys, bool Unpriced) Legs(ReadOnlySpan<double> target, ReadOnlySpan<double> qty, ReadOnlySpan<double> p, double value, double floor, int first)
    {
        // 64 assets per mask; a larger market takes several.
        var end = Math.Min(p.Length, first + 64);
        ulong sells = 0, buys = 0;
        var unpriced = false;
        var a = first;
        if (Vector256.IsHardwareAccelerated)
        {
            var (v, f, below) = (Vector256.Create(value), Vector256.Create(floor), Vector256.Create(-floor));
            ref readonly double w = ref MemoryMarshal.GetReference(target), q = ref MemoryMarshal.GetReference(qty), pv = ref MemoryMarshal.GetReference(p);
            var unpricedLanes = Vector256<double>.Zero;
            for (; a + Vector256<double>.Count <= end; a += Vector256<double>.Count)
            {
                var k = (nuint)a;
                var price = Vector256.LoadUnsafe(in pv, k);
                unpricedLanes |= ~Vector256.GreaterThan(price, Vector256<double>.Zero);
                var delta = (Vector256.LoadUnsafe(in w, k) * v) - (Vector256.LoadUnsafe(in q, k) * price);
                sells |= (ulong)Vector256.LessThanOrEqual(delta, below).ExtractMostSignificantBits() << (a - first);
                buys |= (ulong)Vector256.GreaterThanOrEqual(delta, f).ExtractMostSignificantBits() << (a - first);
            }

            unpriced = unpricedLanes.ExtractMostSignificantBits() != 0;
        }

        for (; a < end; a++)
        {
            var delta = (target[a] * value) - (qty[a] * p[a]);
            unpriced |= !(p[a] > 0);
            sells |= delta <= -floor ? 1UL << (a - first) : 0;
            buys |= delta >= floor ? 1UL << (a - first) : 0;
        }

        return (sells, buys, unpriced);
    }

    /// <summary>The funding rounds' buys into <see cref="PlaceBuy"/>.</summary>
    private readonly struct BuyPlacement(FastRebalancer owner) : IBuyPlacement<double>
    {
        public void Place(int buy, int barOffset, int slice, double amountQuote) => owner.PlaceBuy(buy, barOffset, amountQuote);
    }

    /// <summary>A buy the funding rounds place: its cost, and its amount when it executes at this bar.</summary>
    private void PlaceBuy(int buy, int barOffset, double amount)
    {
        var p = _m.Prices(_bar)[buy];
        var got = LegRules.AmountOut(amount, _depth, _depth / p, _feeBps);
        if (_priced)
        {
            var (fee, impact) = LegRules.FeeAndImpact(amount, got, p, _feeBps);
            _cost += fee + impact + _m.GasPerSwapQuote(_bar);
        }

        _swaps++;
        if (barOffset == 0)
        {
            (_buy[buy], _buyOut[buy]) = (amount, got);
            _buyBits[buy >> 6] |= 1UL << buy;
        }
        else
        {
            _multiBar = true;
        }
    }
}
