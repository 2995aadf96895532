using System.Runtime.CompilerServices;
using Predictive.Core.Allocation;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// Replays a market bar by bar through the composition the live keeper runs (<see cref="RebalancePipeline"/>): targets
/// from the allocator stage (<see cref="TargetSchedule"/>) → the guarded rebalancing policy → the trade planner → the
/// executor of due slices → the simulated venue, with weights drifting with prices between trades. Deterministic: the same market, schedule, policy and options give the same result.
/// </summary>
/// <remarks>
/// <para>Speed comes from doing the expensive stages only where they can matter. Holdings are mirrored as doubles, so
/// each bar costs one vectorized pass over the assets (value, weights, drift). The policy's <see cref="PolicyScreen"/>
/// then settles bars on which the policy cannot trade (not a calendar date, inside the band, benefit below one swap's
/// gas) without planning. Where the screen is also sufficient (calendar, band, full: an unsettled bar trades to the
/// target) and the move fits in one bar, the planner, executor and venue steps run in <c>double</c>
/// (<see cref="FastRebalancer"/>; agrees with the exact path to rounding). The remaining bars build a venue snapshot
/// and run the real policy, planner and executor on <c>decimal</c> holdings (<see cref="BacktestOptions.ExactArithmetic"/>
/// sends every trade that way). Targets are asked for every <see cref="BacktestOptions.AllocateEveryBars"/> bars; weights
/// and targets are kept where they change and expanded per bar when the result is first read.</para>
/// <para>The portfolio starts as <see cref="BacktestOptions.InitialValueQuote"/> in the quote asset and is invested
/// in the first target at the first bar (paying its costs); the policy decides from the second bar on.</para>
/// </remarks>
public sealed partial class Backtester
{
    private readonly BacktestMarket _market;
    private readonly BacktestOptions _options;
    private readonly Lazy<Features.RiskEstimator> _risk;
    private readonly Lazy<MarketData.PricePanel> _assetPanel;

    /// <summary>Creates a backtester over <paramref name="market"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid or the start bar is outside the panel.</exception>
    public Backtester(BacktestMarket market, BacktestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(market);
        _market = market;
        _options = options ?? BacktestOptions.Default;
        _options.Validate();
        if (_options.StartBar >= market.Panel.BarCount)
        {
            throw new ArgumentException($"StartBar {_options.StartBar} is beyond the panel's {market.Panel.BarCount} bars.", nameof(options));
        }

        _assetPanel = new Lazy<MarketData.PricePanel>(market.AssetPanel);
        _risk = new Lazy<Features.RiskEstimator>(() => new Features.RiskEstimator(_options.RiskWindowBars));
    }

    /// <summary>The market.</summary>
    public BacktestMarket Market => _market;

    /// <summary>The options.</summary>
    public BacktestOptions Options => _options;

    /// <summary>Runs one strategy: <paramref name="targets"/> for the allocator stage, <paramref name="policy"/> for rebalancing.</summary>
    /// <exception cref="AllocationException">The schedule gives no target at the first bar, or a target of the wrong shape.</exception>
    public async Task<BacktestResult> RunAsync(TargetSchedule targets, PolicySpec policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(policy);
        var run = new Run(this, targets, policy);
        return await run.ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The state of one run; the hot loop touches only arrays of doubles.</summary>
    private sealed partial class Run
    {
        private readonly Backtester _owner;
        private readonly BacktestMarket _m;
        private readonly BacktestOptions _o;
        private readonly TargetSchedule _schedule;
        private readonly PolicySpec _spec;
        private readonly int _n;
        private readonly int _start;
        private readonly int _count;
        private readonly double[] _qty;
        private readonly double[] _target;
        private readonly double[] _raw;
        private readonly double[] _frozen;
        private readonly bool[] _stranded;
        private readonly List<AssetEvent> _events = [];
        private readonly DateTimeOffset[] _times;
        private readonly double[] _scratch;
        private readonly double[] _equity;
        private readonly double[] _w;
        private readonly ChangeLog _targetLog;
        private readonly HoldingsLog _holdingsLog;
        private readonly double[] _targetReturns;
        private readonly BacktestDecision[] _decisions;
        private readonly List<RebalanceDecision> _details = [];
        private readonly TradeLog _trades;
        private readonly ReplayClock _clock;
        private readonly SimulatedVenue _venue;
        private readonly RebalancePipeline _pipeline;
        private readonly PipelineState _state = new();
        private readonly bool _needsRisk;

        /// <summary>Whether the risk estimate moves every bar (the default), so the hot loop need not divide to know.</summary>
        private readonly bool _riskEveryBar;

        /// <summary>(λ/2)·H of the benefit model: the benefit of a move is this times TE²·V·(1 − α²).</summary>
        private readonly double _halfLambdaH;
        private readonly FastRebalancer? _fast;

        /// <summary>Whether the policy is the cost-aware band and the double path can serve it (<see cref="_fast"/> is not null).</summary>
        private readonly bool _fastCostAware;
        private bool _holdingsStale;
        private bool _exitDue;
        private int _strandedCount;
        private double[] _previousTarget = [];

        /// <summary>Σ w*ᵢ of <see cref="_target"/>, formed when it changes.</summary>
        private double _targetSum;
        private double _cash;
        private Holdings _holdings;
        private Features.RollingRiskEstimator? _rolling;

        /// <summary>The ceiling the cost-aware band asks first (null for other policies): while it settles bars, the estimate is not moved.</summary>
        private readonly Features.CarriedFormCeiling? _ceiling;

        /// <summary>The bar the risk estimate is to end at (−1 before the first): <see cref="Rolling"/> moves it there when it is read.</summary>
        private int _riskBar = -1;
        private double[]? _drift;
        private RiskEstimate? _riskEstimate;

        public Run(Backtester owner, TargetSchedule schedule, PolicySpec spec)
        {
            _owner = owner;
            _m = owner._market;
            _o = owner._options;
            _schedule = schedule;
            _spec = spec;
            _n = _m.Assets.Count;
            _start = _o.StartBar;
            _count = Math.Min(_o.EndBar ?? _m.Panel.BarCount, _m.Panel.BarCount) - _start;
            _qty = new double[_n];
            _target = new double[_n];
            _raw = new double[_n];
            _frozen = new double[_n];
            _stranded = new bool[_n];
            _scratch = new double[_n];
            _equity = new double[_count];
            _w = new double[_n];
            _targetLog = new ChangeLog(_n);
            _trades = new TradeLog(_m, _start);
            _holdingsLog = new HoldingsLog(_n, _trades);
            _targetReturns = new double[_count];
            _decisions = new BacktestDecision[_count];
            _times = new DateTimeOffset[_count];
            _clock = new ReplayClock(_m.Panel.Timestamps[_start] + _m.Panel.Interval.Length);
            _venue = _m.CreateVenue(_clock);
            _pipeline = new RebalancePipeline(_venue, new RebalancePipelineOptions
            {
                Policy = spec,
                Guards = _o.Guards,
                Costs = _m.CostModel.Options,
                Planner = _m.PlannerOptions,
                Benefit = _o.Benefit,
            }, _o.Reference);
            _needsRisk = spec.NeedsRisk || _o.AlwaysEstimateRisk;
            _riskEveryBar = _o.RiskEveryBars == 1;
            _halfLambdaH = _o.Benefit.RiskAversion / 2 * _o.Benefit.HorizonBars;
            _fast = FastRebalancer.TryCreate(_m, _o);
            _fastCostAware = _fast is not null && spec.Screen.Kind == ScreenKind.CostAware;
            if (_fastCostAware && _needsRisk)
            {
                _ceiling = new Features.CarriedFormCeiling(owner._risk.Value, owner._assetPanel.Value);
            }

            _cash = (double)_o.InitialValueQuote;
            _holdings = new Holdings(new Dictionary<string, decimal>(StringComparer.Ordinal) { [_m.QuoteAsset] = _o.InitialValueQuote });
            LogHoldings(0);
        }

        public async Task<BacktestResult> ExecuteAsync(CancellationToken ct)
        {
            var times = _times;
            var close = _m.Panel.Interval.Length;
            for (var i = 0; i < _count; i++)
            {
                times[i] = _m.Panel.Timestamps[_start + i] + close;
            }

            // Runs of bars that need no decimal work go through the synchronous loop; the exact path awaits in between.
            for (var i = RunBars(0, times, ct); i < _count; i = RunBars(i + 1, times, ct))
            {
                SyncHoldings();
                await DecideAndTradeAsync(i, _start + i, ct).ConfigureAwait(false);
                LogHoldings(i);
                EndBar(i, Mark(i));
            }

            return new BacktestResult(_schedule.Name, _spec.Name, _m.Assets, times, _m.BarsPerYear, _equity, _targetLog, _holdingsLog, _m, _start, _targetReturns, _decisions, _details, _trades, _spec.Screen, _events, _o.WriteOffBars, _o.InitialValueQuote, _pendingTe);
        }

        /// <summary>
        /// Replays bars from <paramref name="from"/> on: targets, risk, drift, then the screen or the fast path. Returns
        /// the first bar that needs the exact path (its targets and risk already updated), or the bar count at the end.
        /// </summary>
        /// <remarks>
        /// Compiled fully optimized at once (<see cref="MethodImplOptions.AggressiveOptimization"/>): it is entered once or
        /// twice per run and loops over every bar, so tiered compilation would run it from on-stack replacement with a
        /// profile of the first few bars only; measured on the 20 × 50,000 benchmark in one process per policy, that code
        /// was 1.3–1.6× slower than this (calendar:24 8.2–9.8 ms against 6.0–6.3 ms, cost-band 23–25 against 16.1–16.6 ms).
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private int RunBars(int from, DateTimeOffset[] times, CancellationToken ct)
        {
            for (var i = from; i < _count; i++)
            {
                var t = _start + i;
                if ((i & 1023) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                if (_strandedCount > 0 || !_m.AllPriced(t))
                {
                    // Assets that stop trading: write-offs, holdings kept at their last price, sales once they trade again.
                    TrackUntradable(i, t);
                }

                var value = Mark(i);
                if (i % _o.AllocateEveryBars == 0 && _schedule.TryGetTarget(t, _w, _scratch))
                {
                    // Most schedules hand back the same target bar after bar; it was checked when it first came.
                    if (!_scratch.AsSpan().SequenceEqual(_raw))
                    {
                        CheckTarget(t);
                        _scratch.CopyTo(_raw, 0);
                        SetTarget(i, t);
                    }
                    else if (i == 0 || _m.PricedSetChanged(t))
                    {
                        SetTarget(i, t);
                    }
                }
                else if (i == 0)
                {
                    throw new AllocationException($"'{_schedule.Name}' gives no target at the first bar ({times[0]:O}); no asset is available yet. Start later (StartBar) or allow a longer warm-up.");
                }
                else if (_m.PricedSetChanged(t))
                {
                    SetTarget(i, t);
                }

                if (_needsRisk && (_riskEveryBar || i % _o.RiskEveryBars == 0 || _riskBar < 0))
                {
                    UpdateRisk(t);
                }

                var policyTarget = _strandedCount > 0 ? FrozenTarget() : _target;
                var (l1, maxAbs) = BarMath.Drift(_w, policyTarget);
                var pendingDue = _state.Pending is { } pp && pp.IsDueAt(i);
                // The cost-aware band decided on the double path: not at the first bar, a due slice, an exit or a stranded asset.
                var costAwareFast = _fastCostAware && i > 0 && !pendingDue && !_exitDue && _strandedCount == 0 && _riskBar >= 0;
                if (costAwareFast && CostAwareSettledByBound(i, t, value, l1, maxAbs))
                {
                    // No trade whatever the shrinkage: the tracking error is worked out when the decisions are read.
                    EndBar(i, value);
                    continue;
                }

                var te = _riskBar < 0 ? double.NaN : Math.Sqrt(Math.Max(0, QuadraticDrift(policyTarget)));
                var settled = i == 0 || pendingDue || _exitDue ? null : _spec.Screen.Settle(i, l1, maxAbs, _halfLambdaH * te * te * value, _m.GasPerSwapQuote(t));
                var tradeReason = i == 0 ? DecisionReason.Unconditional : _spec.Screen.TradeReason;
                if (settled is { } reason)
                {
                    _decisions[i] = new BacktestDecision(i, false, reason, l1, maxAbs, te, -1);
                }
                else if (_fast is not null && !pendingDue && !_exitDue && tradeReason is { } why && _fast.TryRebalance(t, i, _target, _qty, ref _cash, _trades, value, _strandedCount == 0 ? maxAbs : double.NaN))
                {
                    // The screen is exact for this policy: it trades to the target, carried out in double.
                    // The exact path continues from the double mirror after any fast-path bar, as it always has (a bar
                    // that placed no swap included: the mirror's rounding is what the exact path starts from).
                    _holdingsStale = true;
                    _decisions[i] = new BacktestDecision(i, true, why, l1, maxAbs, te, -1);
                    if (_fast.Traded)
                    {
                        // A bar whose plan placed no swap keeps its holdings, and so the value just marked.
                        value = Value(i);
                    }
                }
                else if (costAwareFast && TryCostAware(i, t, value, l1, maxAbs, te))
                {
                    // The cost-aware search ran on the double path; a trade, if any, is made.
                    value = Value(i);
                }
                else
                {
                    return i;
                }

                EndBar(i, value);
            }

            return _count;
        }

        /// <summary>Records the bar's equity and the frictionless return since the last bar of the target then in force.</summary>
        private void EndBar(int i, double value)
        {
            _equity[i] = value;
            if (i > 0)
            {
                _targetReturns[i] = BarMath.TargetReturn(_previousTarget, _m.MarkPrices(_start + i), _m.MarkPrices(_start + i - 1));
            }

            _previousTarget = _targetLog.Last;
        }

        /// <summary>
        /// The holdings from bar <paramref name="i"/> on, after a change other than the double path's swaps (those are
        /// replayed from the trade log when the holdings are read).
        /// </summary>
        private void LogHoldings(int i)
        {
            var row = _holdingsLog.Checkpoint(i);
            _qty.CopyTo(row);
            row[_n] = _cash;
        }

        /// <summary>Values the double mirror of the holdings at bar <paramref name="i"/>'s mark prices (an unpriced holding at its last price) and writes the weights.</summary>
        private double Mark(int i) => BarMath.Mark(_qty, _m.MarkPrices(_start + i), _cash, _w);

        /// <summary>
        /// The value alone at bar <paramref name="i"/>'s mark prices, the same sum as <see cref="Mark"/>: after a trade on
        /// the double path the bar needs only its equity, and the next bar marks the weights afresh.
        /// </summary>
        private double Value(int i) => BarMath.Value(_qty, _m.MarkPrices(_start + i), _cash);

        /// <summary>(w − w*)ᵀΣ(w − w*) with the bar's risk estimate (entries without an estimate count 0).</summary>
        private double QuadraticDrift(double[] target) => Rolling().Quadratic(Drift(target));

        /// <summary>w − w* into a scratch array.</summary>
        private double[] Drift(double[] target)
        {
            var d = _drift ??= new double[_n];
            for (var a = 0; a < _n; a++)
            {
                d[a] = _w[a] - target[a];
            }

            return d;
        }

        private void CheckTarget(int bar)
        {
            double sum = 0;
            foreach (var x in _scratch)
            {
                if (!(double.IsFinite(x) && x >= 0))
                {
                    throw new AllocationException($"'{_schedule.Name}' gave weight {x} at bar {bar}; weights must be finite and ≥ 0.");
                }

                sum += x;
            }

            if (Math.Abs(sum - 1) > 1e-6)
            {
                throw new AllocationException($"'{_schedule.Name}' gave weights summing to {sum} at bar {bar}; they must sum to 1.");
            }
        }

        /// <summary>
        /// Moves the risk estimate to <paramref name="bar"/> (the rolling estimator, the same estimate as
        /// <see cref="Features.RiskEstimator"/> in O(n²) per bar): the hot loop reads its quadratic forms; the
        /// <see cref="RiskEstimate"/> the exact path hands the policy is made only when asked for. With a
        /// <see cref="_ceiling"/> only the ceiling moves now, and the estimate when it is next read (<see cref="Rolling"/>).
        /// </summary>
        private void UpdateRisk(int bar)
        {
            _riskBar = bar;
            _riskEstimate = null;
            if (_ceiling is null)
            {
                Rolling();
            }
            else
            {
                _ceiling.MoveTo(bar);
            }
        }

        /// <summary>The rolling estimate, moved to the risk bar: bar by bar, or from the window when that is a window or more behind.</summary>
        private Features.RollingRiskEstimator Rolling()
        {
            var rolling = _rolling ??= new Features.RollingRiskEstimator(_owner._risk.Value, _owner._assetPanel.Value);
            if (rolling.Bar != _riskBar)
            {
                rolling.MoveTo(_riskBar);
            }

            return rolling;
        }

        /// <summary>The last risk estimate as the policy receives it (NaN for assets left out); null when the policy needs none.</summary>
        private RiskEstimate? CurrentRisk() =>
            _riskBar < 0 ? null : _riskEstimate ??= Rolling().Estimate(_riskBar);
    }
}

