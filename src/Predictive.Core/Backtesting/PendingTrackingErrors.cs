using System.Collections;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The bars a backtest settled without finishing the risk estimate (the cost-aware band, when a bound on the tracking
/// error already rules out every trade), and how to work out their tracking error afterwards: the same rolling
/// estimate, moved to each bar's risk bar, applied to that bar's drift from the recorded weights and target. The
/// decisions are filled in once, the first time they are read.
/// </summary>
/// <param name="risk">The estimate the run used.</param>
/// <param name="panel">The panel the run's estimate read.</param>
/// <param name="startBar">The run's first bar in the panel.</param>
/// <param name="riskEveryBars">How often the run moved its estimate (each bar reads the last one).</param>
/// <param name="bars">The run's bar count.</param>
internal sealed class PendingTrackingErrors(RiskEstimator risk, PricePanel panel, int startBar, int riskEveryBars, int bars)
{
    // One bit per bar of the run: 6 KB for 50,000 bars, where a list of bar numbers would grow to 200 KB.
    private BitArray? _bars = new(bars);
    private (RiskEstimator Risk, PricePanel Panel)? _source = (risk, panel);

    /// <summary>How many bars wait for their tracking error (0 once filled).</summary>
    public int Count { get; private set; }

    /// <summary>Marks bar <paramref name="bar"/> (counted from the run's start).</summary>
    public void Add(int bar)
    {
        _bars![bar] = true;
        Count++;
    }

    /// <summary>
    /// Writes the tracking error of every marked bar into <paramref name="decisions"/>, from <paramref name="result"/>'s
    /// weights and targets, then lets go of the panel and the bars.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called a second time.</exception>
    public void Fill(BacktestDecision[] decisions, BacktestResult result)
    {
        var (estimator, prices) = _source ?? throw new InvalidOperationException("The pending tracking errors were filled already.");
        var n = result.Assets.Count;
        var rolling = new RollingRiskEstimator(estimator, prices);
        var drift = new double[n];
        var targets = result.Targets;
        var pending = _bars!;
        for (var i = 0; i < pending.Length; i++)
        {
            if (!pending[i])
            {
                continue;
            }

            rolling.MoveTo(startBar + i - (i % riskEveryBars));
            var weights = result.WeightsAt(i);
            var target = targets.Slice(i * n, n);
            for (var a = 0; a < n; a++)
            {
                drift[a] = weights[a] - target[a];
            }

            decisions[i] = decisions[i] with { TrackingError = Math.Sqrt(Math.Max(0, rolling.Quadratic(drift))) };
        }

        (_bars, _source, Count) = (null, null, 0);
    }
}
