using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Policies;

namespace Predictive.Core.Backtesting;

/// <summary>The cost-aware band on the double path: the policy's own search, priced by the planner's rules in double.</summary>
public sealed partial class Backtester
{
    private sealed partial class Run
    {
        /// <summary>
        /// Steps of the ceiling's window (bars, with the default RiskEveryBars of 1) a drift is carried before one that
        /// no longer settles a bar is carried afresh (O(n·T)): a bar the ceiling cannot settle even from its own drift then
        /// costs one fresh start per this many steps.
        /// </summary>
        private const int RecarryAfterBars = 8;

        private double[]? _candidate;
        private PendingTrackingErrors? _pendingTe;

        /// <summary>
        /// Decides bar <paramref name="i"/> as <see cref="CostAwareBandPolicy"/> does, with its <see cref="CostAwareBandPolicy.Search{T, TEvaluator}"/>
        /// over the same grid: each candidate's cost is the plan's estimate in double (<see cref="FastRebalancer.TryEstimate"/>),
        /// its benefit the tracking-error model, K(1 − α²) with K = (λ/2)·TE²·H·V (the candidate's drift is α times the
        /// current one). A candidate whose benefit less a lower bound on its cost (one swap's gas; the fees and gas of the
        /// sells it certainly makes, <see cref="FastRebalancer.SellCostFloor"/>) cannot beat the best net so far nor the
        /// minimum net is not priced: it could not be chosen, nor make a trade happen. A trade goes through
        /// <see cref="FastRebalancer.TryRebalance"/>. Returns false, having changed nothing, when a price is missing or
        /// the chosen move spans more than one bar (the exact path then plans and executes it).
        /// </summary>
        private bool TryCostAware(int i, int t, double value, double l1, double maxAbs, double te)
        {
            var fast = _fast!;
            var screen = _spec.Screen;
            var k0 = _halfLambdaH * te * te * value;
            var (step, net, unpriced) = SellsRuleOut(t, value, l1, maxAbs, k0) ? (-1, double.MinValue, false) : SearchCandidates(t, value, k0);
            if (unpriced)
            {
                return false;
            }

            if (step < 0 || !CostAwareBandPolicy.Trades(net, screen.MinNetBenefitQuote))
            {
                _decisions[i] = new BacktestDecision(i, false, DecisionReason.CostExceedsBenefit, l1, maxAbs, te, -1);
                return true;
            }

            PolicyMath.Between(_target, _w, CostAwareBandPolicy.Alpha(step, screen.GridSteps), _candidate!);
            if (!fast.TryRebalance(t, i, _candidate, _qty, ref _cash, _trades, value, double.NaN))
            {
                return false;
            }

            _holdingsStale = true;
            _decisions[i] = new BacktestDecision(i, true, DecisionReason.BenefitExceedsCost, l1, maxAbs, te, -1);
            return true;
        }

        /// <summary>
        /// Settles bar <paramref name="i"/> as the cost-aware band would without finishing the risk estimate, when that
        /// is certain: the squared tracking error is at most an upper bound that needs no shrinkage intensity — the one
        /// <see cref="Features.RollingRiskEstimator.QuadraticCarriedBound(ReadOnlySpan{double})"/> carries in O(n) (or starts from
        /// the stored window in O(n·T) after a re-anchoring), or else the upper of
        /// <see cref="Features.RollingRiskEstimator.QuadraticBounds"/> — and even at that no candidate could trade (or the
        /// portfolio is on target).
        /// The decision is the one the exact tracking error gives (no trade, the same reason); its tracking error is left
        /// for <see cref="PendingTrackingErrors"/> to fill in when the decisions are read.
        /// </summary>
        private bool CostAwareSettledByBound(int i, int t, double value, double l1, double maxAbs)
        {
            // The bound carried in O(n) first, then, when it does not settle the bar, the one from a pass over Σyᵢyⱼ
            // (which also starts carrying afresh from this bar); a pass's bound no lower than the carried one settles
            // nothing more, so the search is not run on it again.
            var reason = _ceiling is null ? null : SettledByCeiling(_ceiling, i, t, value, l1, maxAbs);
            if (reason is null)
            {
                var rolling = Rolling();
                var carried = rolling.QuadraticCarriedBound(_w, _target);
                reason = SettledAt(i, t, value, l1, maxAbs, carried);
                if (reason is null)
                {
                    var pass = rolling.QuadraticBounds(Drift(_target)).High;
                    reason = pass >= carried ? null : SettledAt(i, t, value, l1, maxAbs, pass);
                }
            }

            if (reason is not { } settled)
            {
                return false;
            }

            _decisions[i] = new BacktestDecision(i, false, settled, l1, maxAbs, double.NaN, -1);
            (_pendingTe ??= new PendingTrackingErrors(_owner._risk.Value, _owner._assetPanel.Value, _start, _o.RiskEveryBars, _count)).Add(i);
            return true;
        }

        /// <summary>
        /// The reason <see cref="SettledAt"/> gives bar <paramref name="i"/> on <paramref name="ceiling"/>'s bound, without
        /// the search (the ceiling is looser than the estimate's own bounds, so a bar the sells do not settle on it goes to
        /// those): on the drift carried, and when that does not settle it and was carried for at least
        /// <see cref="RecarryAfterBars"/> bars, on this bar's drift carried afresh. Null when neither settles the bar.
        /// </summary>
        private DecisionReason? SettledByCeiling(Features.CarriedFormCeiling ceiling, int i, int t, double value, double l1, double maxAbs)
        {
            var reason = SettledAt(i, t, value, l1, maxAbs, ceiling.QuadraticCeiling(_w, _target), search: false);
            if (reason is null && ceiling.WholeWindow && (!ceiling.Carrying || ceiling.CarriedBars >= RecarryAfterBars))
            {
                ceiling.Carry(_w, _target);
                reason = SettledAt(i, t, value, l1, maxAbs, ceiling.QuadraticCeiling(_w, _target), search: false);
            }

            return reason;
        }

        /// <summary>
        /// The reason bar <paramref name="i"/> certainly does not trade if its squared tracking error is at most
        /// <paramref name="teSquaredAtMost"/>: the screen's (on target, or even the whole benefit below one swap's gas),
        /// or no candidate of the search could trade, which the sells alone usually settle
        /// (<see cref="FastRebalancer.SellsRuleOutFromTotals"/> in O(1), else <see cref="FastRebalancer.SellsRuleOutEveryCandidate"/>)
        /// before the search is entered (every candidate's benefit grows with TE² and its cost does not, so if none could
        /// trade at the bound, none can at TE²); null when that is not certain, a candidate the search could not rule out
        /// could not be priced on the double path (a price is missing), or the bound is not finite.
        /// </summary>
        private DecisionReason? SettledAt(int i, int t, double value, double l1, double maxAbs, double teSquaredAtMost, bool search = true)
        {
            if (!double.IsFinite(teSquaredAtMost))
            {
                return null;
            }

            var high = Math.Max(0, teSquaredAtMost);
            var screen = _spec.Screen;
            var k0 = _halfLambdaH * high * value;
            if (screen.Settle(i, l1, maxAbs, k0, _m.GasPerSwapQuote(t)) is { } reason)
            {
                return reason;
            }

            // The sells alone rule every candidate out on nearly every bar; the search is then not entered.
            if (SellsRuleOut(t, value, l1, maxAbs, k0))
            {
                return DecisionReason.CostExceedsBenefit;
            }

            if (!search)
            {
                return null;
            }

            var (step, net, unpriced) = SearchCandidates(t, value, k0);
            return !unpriced && (step < 0 || !CostAwareBandPolicy.Trades(net, screen.MinNetBenefitQuote)) ? DecisionReason.CostExceedsBenefit : null;
        }

        /// <summary>
        /// Whether the sells alone rule every candidate of the cost-aware search out at bar <paramref name="t"/> for a
        /// benefit of moving all the way of <paramref name="k0"/>: from the drift's totals in O(1) when that is certain
        /// (<see cref="FastRebalancer.SellsRuleOutFromTotals"/>), else from the pass over the assets
        /// (<see cref="FastRebalancer.SellsRuleOutEveryCandidate"/>).
        /// </summary>
        private bool SellsRuleOut(int t, double value, double l1, double maxAbs, double k0)
        {
            var (fast, screen) = (_fast!, _spec.Screen);
            var netWeight = ((value - _cash) / value) - _targetSum;
            return fast.SellsRuleOutFromTotals(t, value, l1, maxAbs, netWeight, _n, k0, screen.GridSteps, screen.MinNetBenefit)
                || fast.SellsRuleOutEveryCandidate(t, _w, _target, value, k0, screen.GridSteps, screen.MinNetBenefit);
        }

        /// <summary>
        /// The cost-aware search at bar <paramref name="t"/> for a benefit of moving all the way of <paramref name="k0"/>,
        /// once the sells have not ruled every candidate out (<see cref="SellsRuleOut"/>): the best grid step and its net
        /// (−1 when none could be chosen), and whether a candidate could not be priced on the double path (a price is
        /// missing).
        /// </summary>
        private (int Step, double Net, bool Unpriced) SearchCandidates(int t, double value, double k0)
        {
            var fast = _fast!;
            var screen = _spec.Screen;
            _candidate ??= new double[_n];
            fast.PrepareSells(_w, _target, value);
            var evaluator = new FastCandidates(this, t, value, k0, screen.MinNetBenefit);
            var (step, net) = CostAwareBandPolicy.Search<double, FastCandidates>(screen.GridSteps, ref evaluator);
            return (step, net, evaluator.Exact);
        }

        /// <summary>The candidates of <see cref="TryCostAware"/>: benefit from the tracking-error model, cost from the planner's rules in double.</summary>
        private struct FastCandidates(Run run, int t, double value, double k0, double floor) : ICandidateEvaluator<double>
        {
            private readonly double _gas = run._m.GasPerSwapQuote(t);
            private double _bestSeen = double.MinValue;

            /// <summary>Whether a candidate could not be priced on the double path (a price is missing).</summary>
            public bool Exact { get; private set; }

            public (int Swaps, double Net) Evaluate(int gridStep)
            {
                var alpha = CostAwareBandPolicy.Alpha(gridStep, run._spec.Screen.GridSteps);
                var benefit = k0 * (1 - (alpha * alpha));
                var bar = Math.Max(_bestSeen, floor);
                if (Exact || benefit - _gas <= bar || benefit - run._fast!.SellCostFloor(t, alpha) <= bar)
                {
                    return (0, 0);
                }

                PolicyMath.Between(run._target, run._w, alpha, run._candidate!);
                if (!run._fast.TryEstimate(t, run._w, run._candidate, value, out var swaps, out var cost))
                {
                    Exact = true;
                    return (0, 0);
                }

                if (swaps == 0)
                {
                    return (0, 0);
                }

                _bestSeen = Math.Max(_bestSeen, benefit - cost);
                return (swaps, benefit - cost);
            }
        }
    }
}
