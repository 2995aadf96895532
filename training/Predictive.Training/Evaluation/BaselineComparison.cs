using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;
using Predictive.Training.Data;

namespace Predictive.Training.Evaluation;

/// <summary>One classical allocator judged on the walk-forward test blocks.</summary>
/// <param name="Name">The allocator (<see cref="Allocators.Names"/>).</param>
/// <param name="Folds">Core's backtest of each fold's test block, in fold order.</param>
/// <param name="Overall">All test blocks chained (<see cref="PerformanceMetrics.Chain"/>); null without folds.</param>
/// <param name="Fallbacks">Decisions where the allocator could not allocate and held equal weights instead.</param>
public sealed record BaselineResult(string Name, IReadOnlyList<BacktestResult> Folds, PerformanceMetrics? Overall, int Fallbacks);

/// <summary>
/// Runs the classical allocators on the same walk-forward test blocks, backtester, costs and rebalancing policy as a
/// learned model, so their figures can be set side by side: each fold's test block goes through
/// <see cref="SampleBacktester"/> with a <see cref="ClassicalPolicy"/>, which decides from data up to the decision bar only.
/// </summary>
public static class BaselineComparison
{
    /// <summary>Runs every allocator in <paramref name="allocators"/> (all of <see cref="Allocators.Names"/> when null).</summary>
    /// <param name="evaluator">The backtester over the dataset's panel.</param>
    /// <param name="data">The samples.</param>
    /// <param name="folds">The folds; only their test blocks are used (the allocators are not trained).</param>
    /// <param name="allocators">Allocator names; null means all.</param>
    /// <param name="cancellationToken">Checked between and inside blocks.</param>
    /// <exception cref="ArgumentException">A name is unknown.</exception>
    public static IReadOnlyList<BaselineResult> Run(
        SampleBacktester evaluator,
        TrainingDataset data,
        IReadOnlyList<WalkForwardFold> folds,
        IReadOnlyList<string>? allocators = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        var panel = data.Panel;
        var risk = new RiskCache(panel);
        var results = new List<BaselineResult>();
        foreach (var name in allocators ?? Allocators.Names)
        {
            var policy = new ClassicalPolicy(Allocators.Create(name), panel, data, risk);
            var blocks = new List<BacktestResult>(folds.Count);
            foreach (var fold in folds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                blocks.Add(evaluator.Run(name, fold.Test, policy.Decide, cancellationToken));
            }

            results.Add(new BaselineResult(name, blocks, blocks.Count == 0 ? null : PerformanceMetrics.Chain(blocks), policy.Fallbacks));
        }

        return results;
    }
}
