using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Policies;

namespace Predictive.Core.Backtesting;

/// <summary>The cost-aware band on the double path: the policy's own search, priced by the planner's rules in double.</summary>
public sealed partial class Backtester
{
    private sealed partial class Run
    {
        private double[]? _candidate;

        /// <summary>
        /// Decides bar <paramref name="i"/> as <see cref="CostAwareBandPolicy"/> does, with its <see cref="CostAwareBandPolicy.Search{T}"/>
        /// over the same grid: each candidate's cost is the one-bar plan's estimate in double (<see cref="FastRebalancer.TryEstimate"/>),
        /// its benefit the tracking-error model on the bar's covariance. A trade goes through <see cref="FastRebalancer.TryRebalance"/>.
        /// Returns false, having changed nothing, when some candidate's plan or the trade needs the exact path.
        /// </summary>
        private bool TryCostAware(int i, int t, DateTimeOffset time, double value, double l1, double maxAbs, double te)
        {
            var fast = _fast!;
            var screen = _spec.Screen;
            var target = _target;
            var candidate = _candidate ??= new double[_n];
            var halfLambdaH = _o.Benefit.RiskAversion / 2 * _o.Benefit.HorizonBars;
            var te0Squared = te * te;
            var exact = false;
            var (step, net) = CostAwareBandPolicy.Search<double>(screen.GridSteps, k =>
            {
                if (exact)
                {
                    return (0, 0);
                }

                PolicyMath.Between(target, _w, CostAwareBandPolicy.Alpha(k, screen.GridSteps), candidate);
                if (!fast.TryEstimate(t, _w, candidate, value, out var swaps, out var cost))
                {
                    exact = true;
                    return (0, 0);
                }

                var te1Squared = Math.Max(0, Quadratic(candidate, target));
                return swaps == 0 ? (0, 0) : (swaps, (halfLambdaH * (te0Squared - te1Squared) * value) - cost);
            });
            if (exact)
            {
                return false;
            }

            if (step < 0 || !CostAwareBandPolicy.Trades(net, screen.MinNetBenefitQuote))
            {
                _decisions[i] = new BacktestDecision(i, false, DecisionReason.CostExceedsBenefit, l1, maxAbs, te, -1);
                return true;
            }

            PolicyMath.Between(target, _w, CostAwareBandPolicy.Alpha(step, screen.GridSteps), candidate);
            if (!fast.TryRebalance(t, i, time, candidate, _qty, ref _cash, _trades))
            {
                return false;
            }

            _holdingsStale = true;
            _decisions[i] = new BacktestDecision(i, true, DecisionReason.BenefitExceedsCost, l1, maxAbs, te, -1);
            LogHoldings(i);
            return true;
        }
    }
}
