using Predictive.Core.Allocation;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Rebalancing.Policies;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// Replays a market bar by bar through the same stages the live service runs: targets from the allocator stage
/// (<see cref="TargetSchedule"/>) → the rebalancing policy → the trade planner → the simulated venue, with weights
/// drifting with prices between trades. Deterministic: the same market, schedule, policy and options give the same result.
/// </summary>
/// <remarks>
/// <para>Speed comes from doing the expensive stages only where they can matter. Holdings are mirrored as doubles, so
/// each bar costs one pass over the assets (value, weights, drift). The policy's <see cref="PolicyScreen"/> then settles
/// bars on which the policy cannot trade (not a calendar date, inside the band, benefit below one swap's gas) without
/// planning. Only the remaining bars build a venue snapshot and run the real policy, planner and executor on
/// <c>decimal</c> holdings, which stay the source of truth. Targets are asked for every
/// <see cref="BacktestOptions.AllocateEveryBars"/> bars.</para>
/// <para>The portfolio starts as <see cref="BacktestOptions.InitialValueQuote"/> in the quote asset and is invested
/// in the first target at the first bar (paying its costs); the policy decides from the second bar on.</para>
/// </remarks>
public sealed class Backtester
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
    private sealed class Run
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
        private readonly double[] _w;
        private readonly double[] _target;
        private readonly double[] _scratch;
        private readonly double[] _equity;
        private readonly double[] _weights;
        private readonly double[] _targets;
        private readonly double[] _targetReturns;
        private readonly BacktestDecision[] _decisions;
        private readonly List<RebalanceDecision> _details = [];
        private readonly List<BacktestTrade> _trades = [];
        private readonly ReplayClock _clock;
        private readonly SimulatedVenue _venue;
        private readonly TradePlanner _planner;
        private readonly PlanExecutor _executor;
        private readonly IRebalancingPolicy _policy;
        private readonly FullRebalancePolicy _initial;
        private readonly bool _needsRisk;
        private readonly FastRebalancer? _fast;
        private bool _holdingsStale;
        private double _cash;
        private Holdings _holdings;
        private RiskEstimate? _riskEstimate;
        private double[]? _cov;
        private (TradePlan Plan, int Bar)? _pending;

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
            _w = new double[_n];
            _target = new double[_n];
            _scratch = new double[_n];
            _equity = new double[_count];
            _weights = new double[_count * _n];
            _targets = new double[_count * _n];
            _targetReturns = new double[_count];
            _decisions = new BacktestDecision[_count];
            _clock = new ReplayClock(_m.Panel.Timestamps[_start] + _m.Panel.Interval.Length);
            _venue = _m.CreateVenue(_clock);
            _planner = new TradePlanner(_m.CostModel, _m.PlannerOptions);
            _executor = new PlanExecutor(_venue, _m.CostModel, _planner.Options);
            var economics = new RebalanceEconomics(_planner, _o.Benefit);
            _policy = spec.Create(economics, _o.Guards);
            _initial = new FullRebalancePolicy(economics);
            _needsRisk = spec.NeedsRisk || _o.AlwaysEstimateRisk;
            _fast = FastRebalancer.TryCreate(_m, _o);
            _cash = (double)_o.InitialValueQuote;
            _holdings = new Holdings(new Dictionary<string, decimal>(StringComparer.Ordinal) { [_m.QuoteAsset] = _o.InitialValueQuote });
        }

        public async Task<BacktestResult> ExecuteAsync(CancellationToken ct)
        {
            var n = _n;
            var halfLambdaH = _o.Benefit.RiskAversion / 2 * _o.Benefit.HorizonBars;
            var times = new DateTimeOffset[_count];
            for (var i = 0; i < _count; i++)
            {
                var t = _start + i;
                times[i] = _m.Panel.Timestamps[t] + _m.Panel.Interval.Length;
                ct.ThrowIfCancellationRequested();
                var value = Mark(_m.Prices(t));
                if (i % _o.AllocateEveryBars == 0 && _schedule.TryGetTarget(t, _w, _scratch))
                {
                    CheckTarget(t);
                    _scratch.CopyTo(_target, 0);
                }
                else if (i == 0)
                {
                    throw new AllocationException($"'{_schedule.Name}' gives no target at the first bar ({times[0]:O}); no asset is available yet. Start later (StartBar) or allow a longer warm-up.");
                }

                if (_needsRisk && (i % _o.RiskEveryBars == 0 || _riskEstimate is null))
                {
                    UpdateRisk(t);
                }

                double l1 = 0, maxAbs = 0, te = double.NaN;
                for (var a = 0; a < n; a++)
                {
                    var d = Math.Abs(_w[a] - _target[a]);
                    l1 += d;
                    maxAbs = Math.Max(maxAbs, d);
                }

                if (_cov is not null)
                {
                    te = Math.Sqrt(Math.Max(0, QuadraticDrift()));
                }

                var pendingDue = _pending is { } pp && t - pp.Bar < pp.Plan.BarCount;
                var settled = i == 0 || pendingDue ? null : _spec.Screen.Settle(i, l1, maxAbs, halfLambdaH * te * te * value, _m.GasPerSwapQuote(t));
                var tradeReason = i == 0 ? DecisionReason.Unconditional : _spec.Screen.TradeReason;
                if (settled is { } reason)
                {
                    _decisions[i] = new BacktestDecision(i, false, reason, l1, maxAbs, te, -1);
                }
                else if (_fast is not null && !pendingDue && tradeReason is { } why && _fast.TryRebalance(t, i, times[i], _target, _qty, ref _cash, _trades))
                {
                    // The screen is exact for this policy: it trades to the target, carried out in double.
                    _holdingsStale = true;
                    _decisions[i] = new BacktestDecision(i, true, why, l1, maxAbs, te, -1);
                    value = Mark(_m.Prices(t));
                }
                else
                {
                    SyncHoldings();
                    await DecideAndTradeAsync(i, t, pendingDue, ct).ConfigureAwait(false);
                    value = Mark(_m.Prices(t));
                }

                _equity[i] = value;
                _w.CopyTo(_weights, i * n);
                _target.CopyTo(_targets, i * n);
                if (i > 0)
                {
                    _targetReturns[i] = TargetReturn(i, t);
                }
            }

            return new BacktestResult(_schedule.Name, _spec.Name, _m.Assets, times, _m.BarsPerYear, _equity, _weights, _targets, _targetReturns, _decisions, _details, _trades, _spec.Screen);
        }

        /// <summary>The frictionless return from bar t − 1 to t of the target held at t − 1.</summary>
        private double TargetReturn(int i, int t)
        {
            var p = _m.Prices(t);
            var prev = _m.Prices(t - 1);
            var r = 0.0;
            for (var a = 0; a < _n; a++)
            {
                var wt = _targets[((i - 1) * _n) + a];
                if (wt != 0)
                {
                    r += wt * ((p[a] / prev[a]) - 1);
                }
            }

            return r;
        }

        /// <summary>Values the double mirror of the holdings at <paramref name="p"/> and writes the weights.</summary>
        private double Mark(ReadOnlySpan<double> p)
        {
            var value = _cash;
            for (var a = 0; a < _n; a++)
            {
                var q = _qty[a];
                if (q != 0)
                {
                    value += q * p[a];
                }
            }

            for (var a = 0; a < _n; a++)
            {
                _w[a] = _qty[a] == 0 || value <= 0 ? 0 : _qty[a] * p[a] / value;
            }

            return value;
        }

        private double QuadraticDrift()
        {
            var cov = _cov!;
            double s = 0;
            for (var a = 0; a < _n; a++)
            {
                var da = _w[a] - _target[a];
                if (da == 0)
                {
                    continue;
                }

                double row = 0;
                var off = a * _n;
                for (var b = 0; b < _n; b++)
                {
                    row += cov[off + b] * (_w[b] - _target[b]);
                }

                s += da * row;
            }

            return s;
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

        private void UpdateRisk(int bar)
        {
            _riskEstimate = _owner._risk.Value.Estimate(_owner._assetPanel.Value, bar);
            _cov = _riskEstimate.Covariance.ToArray();
            for (var k = 0; k < _cov.Length; k++)
            {
                if (!double.IsFinite(_cov[k]))
                {
                    _cov[k] = 0;
                }
            }
        }

        /// <summary>After fast-path trades the double mirror leads; the exact path continues from it.</summary>
        private void SyncHoldings()
        {
            if (!_holdingsStale)
            {
                return;
            }

            var q = new Dictionary<string, decimal>(StringComparer.Ordinal) { [_m.QuoteAsset] = (decimal)_cash };
            for (var a = 0; a < _n; a++)
            {
                if (_qty[a] != 0)
                {
                    q[_m.Assets[a]] = (decimal)_qty[a];
                }
            }

            _holdings = new Holdings(q);
            _holdingsStale = false;
        }

        /// <summary>The bar the screen could not settle: snapshot, pending slices, the real policy, planner and executor.</summary>
        private async Task DecideAndTradeAsync(int i, int t, bool pendingDue, CancellationToken ct)
        {
            var history = await HistoryAsync(t, ct).ConfigureAwait(false);
            _clock.Set(_m.Panel.Timestamps[t] + _m.Panel.Interval.Length);
            var market = await _venue.GetSnapshotAsync(ct).ConfigureAwait(false);
            if (pendingDue && _pending is { } pending)
            {
                var done = await _executor.ExecuteAsync(pending.Plan, t - pending.Bar, _holdings, ct).ConfigureAwait(false);
                Record(i, market, done);
            }

            var (assets, target, risk) = Active(market);
            var context = new RebalanceContext
            {
                Bar = i,
                Assets = assets,
                CurrentWeights = _holdings.Weights(assets, market),
                TargetWeights = target,
                PortfolioValueQuote = _holdings.ValueQuote(market),
                Market = market,
                Risk = risk,
                History = history,
            };
            var decision = i == 0 ? _initial.Decide(context) : _policy.Decide(context);
            if (i == 0)
            {
                decision = decision with { Explanation = "initial investment of the starting cash in the first target: " + decision.Explanation };
            }

            _details.Add(decision);
            _decisions[i] = new BacktestDecision(i, decision.Trade, decision.Reason, decision.Drift.L1, decision.Drift.MaxAbs, decision.Drift.TrackingError, _details.Count - 1);
            if (decision.Trade)
            {
                // A new decision supersedes slices still pending from an older plan.
                var plan = _planner.Plan(market, _holdings, assets, decision.NewWeights);
                _pending = plan.BarCount > 1 ? (plan, t) : null;
                var done = await _executor.ExecuteAsync(plan, 0, _holdings, ct).ConfigureAwait(false);
                Record(i, market, done);
            }
            else if (pendingDue && _pending is { } p && t - p.Bar >= p.Plan.BarCount - 1)
            {
                _pending = null;
            }

            _cash = (double)_holdings.Quantity(_m.QuoteAsset);
            for (var a = 0; a < _n; a++)
            {
                _qty[a] = (double)_holdings.Quantity(_m.Assets[a]);
            }
        }

        private void Record(int i, VenueSnapshot market, ExecutionResult done)
        {
            _holdings = done.Holdings;
            foreach (var f in done.Fills)
            {
                var notional = f.AmountIn * (decimal)market.ReferencePrice(f.Order.AssetIn);
                _trades.Add(new BacktestTrade(i, f.Time, f.Order.AssetIn, f.Order.AssetOut, f.AmountIn, f.AmountOut, notional, f.FeeQuote, f.ImpactQuote, f.GasQuote, f.Status));
            }
        }

        /// <summary>The assets priced now, with the target and risk model restricted to them.</summary>
        private (IReadOnlyList<string> Assets, double[] Target, RiskEstimate? Risk) Active(VenueSnapshot market)
        {
            var idx = new List<int>(_n);
            for (var a = 0; a < _n; a++)
            {
                if (market.HasPrice(_m.Assets[a]))
                {
                    idx.Add(a);
                }
            }

            if (idx.Count == _n)
            {
                return (_m.Assets, (double[])_target.Clone(), _riskEstimate);
            }

            var assets = idx.Select(a => _m.Assets[a]).ToArray();
            var target = idx.Select(a => _target[a]).ToArray();
            var sum = target.Sum();
            for (var k = 0; k < target.Length && sum > 0; k++)
            {
                target[k] /= sum;
            }

            RiskEstimate? risk = null;
            if (_riskEstimate is { } full)
            {
                var m = idx.Count;
                var cov = new double[m * m];
                for (var r = 0; r < m; r++)
                {
                    for (var c = 0; c < m; c++)
                    {
                        cov[(r * m) + c] = full[idx[r], idx[c]];
                    }
                }

                risk = new RiskEstimate(cov, idx.Select(a => full.ExpectedReturns[a]).ToArray());
            }

            return (assets, target, risk);
        }

        private async Task<IReadOnlyList<VenueSnapshot>> HistoryAsync(int t, CancellationToken ct)
        {
            if (_o.Guards.Count == 0 || _o.GuardHistoryBars == 0)
            {
                return [];
            }

            // Earlier bars' pools are rebuilt from their closes (the venue re-anchors each bar), oldest first.
            var list = new List<VenueSnapshot>(_o.GuardHistoryBars);
            for (var h = Math.Max(0, t - _o.GuardHistoryBars); h < t; h++)
            {
                _clock.Set(_m.Panel.Timestamps[h] + _m.Panel.Interval.Length);
                list.Add(await _venue.GetSnapshotAsync(ct).ConfigureAwait(false));
            }

            return list;
        }
    }
}
