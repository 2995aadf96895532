using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Training.Data;
using Predictive.Training.Gbm;

namespace Predictive.Training.Evaluation;

/// <summary>One GBM fold: the metrics <see cref="GbmTrainer"/> reports plus the per-period backtest behind them.</summary>
/// <param name="Metrics">The fold's metrics, as <see cref="GbmTrainer"/> computes them.</param>
/// <param name="Backtest">Core's backtest of the fold's test block under the real cost model.</param>
public sealed record GbmFoldBacktest(GbmFoldMetrics Metrics, BacktestResult Backtest);

/// <summary>
/// The walk-forward folds of the GBM learner with their per-period backtests kept, so the folds can be chained into
/// one overall figure like the torch models' (<see cref="Research.Metrics.PerformanceMetrics.Chain"/>). The folds run through the same loop as
/// <see cref="GbmTrainer"/> (same rows, seeds, weight rule and costs; a test checks the metrics agree); the
/// final model is then <see cref="GbmTrainer.Train(PricePanel, TrainingDataset, IReadOnlyList{WalkForwardFold}, GbmOptions, IProgress{GbmProgress}?, CancellationToken)"/>
/// with no folds.
/// </summary>
public static class GbmWalkForward
{
    /// <summary>Fits and backtests each fold.</summary>
    /// <param name="panel">The panel the dataset was built from (the labels read its closes).</param>
    /// <param name="dataset">The samples.</param>
    /// <param name="folds">The folds.</param>
    /// <param name="options">Learner, rule and cost settings.</param>
    /// <param name="progress">Optional progress sink (one report per fit and per backtest).</param>
    /// <param name="cancellationToken">Checked between fits and test samples.</param>
    /// <exception cref="ArgumentException">The dataset was not built from the panel, or a fold has no training row.</exception>
    public static IReadOnlyList<GbmFoldBacktest> Run(
        PricePanel panel,
        TrainingDataset dataset,
        IReadOnlyList<WalkForwardFold> folds,
        GbmOptions options,
        IProgress<GbmProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        dataset.EnsureBuiltFrom(panel, nameof(dataset));
        return GbmTrainer.RunFolds(panel, dataset, folds, options, GbmLabels.Compute(panel, options), progress, cancellationToken);
    }
}
