using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Policies;

namespace Predictive.Core.Backtesting;

/// <summary>The cost-aware band on the double path: the policy's own search, priced by the planner's rules in double.</summary>
public sealed partial class Backtester
{
    private sealed partial class Run
    {
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
            var (step, net, unpriced) = SearchCandidates(t, value, _halfLambdaH * te * te * value);
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
            if (!fast.TryRebalance(t, i, _candidate, _qty, ref _cash, _trades, value))
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
            var carried = _rolling!.QuadraticCarriedBound(_w, _target);
            var reason = SettledAt(i, t, value, l1, maxAbs, carried);
            if (reason is null)
            {
                var pass = _rolling.QuadraticBounds(Drift(_target)).High;
                reason = pass >= carried ? null : SettledAt(i, t, value, l1, maxAbs, pass);
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
        /// The reason bar <paramref name="i"/> certainly does not trade if its squared tracking error is at most
        /// <paramref name="teSquaredAtMost"/>: the screen's (on target, or even the whole benefit below one swap's gas),
        /// or no candidate of the search could trade; null when that is not certain or the bound is not finite.
        /// </summary>
        private DecisionReason? SettledAt(int i, int t, double value, double l1, double maxAbs, double teSquaredAtMost)
        {
            if (!double.IsFinite(teSquaredAtMost))
            {
                return null;
            }

            var high = Math.Max(0, teSquaredAtMost);
            var reason = _spec.Screen.Settle(i, l1, maxAbs, _halfLambdaH * high * value, _m.GasPerSwapQuote(t));
            return reason ?? (CostAwareCannotTrade(t, value, high) ? DecisionReason.CostExceedsBenefit : null);
        }

        /// <summary>
        /// Whether no candidate of the cost-aware search could trade at bar <paramref name="t"/> if the squared
        /// tracking error were as large as <paramref name="teSquaredAtMost"/>: every candidate's benefit grows with it
        /// and its cost does not depend on it, so the bar then certainly does not trade. False when a candidate the
        /// search could not rule out could not be priced on the double path (a price is missing) or would trade.
        /// </summary>
        private bool CostAwareCannotTrade(int t, double value, double teSquaredAtMost)
        {
            var (step, net, unpriced) = SearchCandidates(t, value, _halfLambdaH * teSquaredAtMost * value);
            return !unpriced && (step < 0 || !CostAwareBandPolicy.Trades(net, _spec.Screen.MinNetBenefitQuote));
        }

        /// <summary>
        /// The cost-aware search at bar <paramref name="t"/> for a benefit of moving all the way of <paramref name="k0"/>:
        /// the best grid step and its net (−1 when none could be chosen, at once when the sells alone rule every candidate
        /// out, <see cref="FastRebalancer.SellsRuleOutEveryCandidate"/>), and whether a candidate could not be priced on
        /// the double path (a price is missing).
        /// </summary>
        private (int Step, double Net, bool Unpriced) SearchCandidates(int t, double value, double k0)
        {
            var fast = _fast!;
            var screen = _spec.Screen;
            if (fast.SellsRuleOutEveryCandidate(t, _w, _target, value, k0, screen.GridSteps, screen.MinNetBenefit))
            {
                return (-1, double.MinValue, false);
            }

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
