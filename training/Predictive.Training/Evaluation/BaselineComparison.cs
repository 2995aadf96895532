using Predictive.Core.Allocation;
using Predictive.Core.MarketData;
using Predictive.Training.Data;

namespace Predictive.Training.Evaluation;

/// <summary>One classical allocator judged on the walk-forward test blocks.</summary>
/// <param name="Name">The allocator (<see cref="Allocators.Names"/>).</param>
/// <param name="Folds">Out-of-sample, net-of-cost results per fold, in fold order.</param>
/// <param name="Overall">All test blocks chained (<see cref="WalkForwardChain"/>); null without folds.</param>
/// <param name="Fallbacks">Decisions where the allocator could not allocate and held equal weights instead.</param>
public sealed record BaselineResult(string Name, IReadOnlyList<BacktestResult> Folds, PerformanceMetrics? Overall, int Fallbacks);

/// <summary>
/// Runs the classical allocators on the same walk-forward test blocks and costs as a learned model, so their
/// figures can be set side by side: each fold's test block is backtested with <see cref="PortfolioBacktest"/> and
/// a <see cref="ClassicalPolicy"/>, which decides from data up to the decision bar only.
/// </summary>
public static class BaselineComparison
{
    /// <summary>Runs every allocator in <paramref name="allocators"/> (all of <see cref="Allocators.Names"/> when null).</summary>
    /// <param name="panel">The panel <paramref name="data"/> was built from (for the risk estimates).</param>
    /// <param name="data">The samples.</param>
    /// <param name="folds">The folds; only their test blocks are used (the allocators are not trained).</param>
    /// <param name="costRate">Cost per unit of turnover.</param>
    /// <param name="allocators">Allocator names; null means all.</param>
    /// <param name="cancellationToken">Checked between blocks.</param>
    /// <exception cref="ArgumentException">The dataset was not built from the panel, or a name is unknown.</exception>
    public static IReadOnlyList<BaselineResult> Run(
        PricePanel panel,
        TrainingDataset data,
        IReadOnlyList<WalkForwardFold> folds,
        double costRate,
        IReadOnlyList<string>? allocators = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(folds);
        data.EnsureBuiltFrom(panel, nameof(data));
        var risk = new RiskCache(panel);
        var results = new List<BaselineResult>();
        foreach (var name in allocators ?? Allocators.Names)
        {
            var policy = new ClassicalPolicy(Allocators.Create(name), panel, data, risk);
            var blocks = new List<BacktestResult>(folds.Count);
            foreach (var fold in folds)
            {
                cancellationToken.ThrowIfCancellationRequested();
                blocks.Add(PortfolioBacktest.Run(data, fold.Test, policy.Decide, costRate));
            }

            results.Add(new BaselineResult(name, blocks, WalkForwardChain.Metrics(blocks, data.Interval.BarsPerYear), policy.Fallbacks));
        }

        return results;
    }
}
