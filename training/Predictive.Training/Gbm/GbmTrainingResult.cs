using Predictive.Research.Metrics;
using Predictive.Training.Data;

namespace Predictive.Training.Gbm;

/// <summary>Where training is: the stage, and the fold (the fold count for the final fit).</summary>
/// <param name="Stage">What runs now, for example <c>fold 2/4: training</c>.</param>
/// <param name="Fold">Zero-based fold, or the fold count for the final model.</param>
/// <param name="FoldCount">Folds in the walk-forward.</param>
public sealed record GbmProgress(string Stage, int Fold, int FoldCount);

/// <summary>Out-of-sample results of one walk-forward fold.</summary>
/// <param name="Fold">The fold (sample ranges and gap).</param>
/// <param name="TestRange">The test period, ISO-8601 <c>start/end</c> (decision bar to last label close).</param>
/// <param name="TrainRows">Pooled (sample, asset) rows the fold trained on, after purging.</param>
/// <param name="Performance">The fold's test block through Core's backtester under the real cost model (<see cref="Evaluation.SampleBacktester"/>).</param>
/// <param name="ReturnRmse">RMSE of the return predictions on the test rows.</param>
/// <param name="VolatilityRmse">RMSE of the volatility predictions on the test rows.</param>
public sealed record GbmFoldMetrics(
    WalkForwardFold Fold,
    string TestRange,
    int TrainRows,
    PerformanceMetrics Performance,
    double ReturnRmse,
    double VolatilityRmse);

/// <summary>The walk-forward results and the model trained on every labelled sample (the one to export).</summary>
/// <param name="Model">The final model.</param>
/// <param name="Folds">Per-fold out-of-sample metrics.</param>
/// <param name="Assets">The panel's assets, in column order.</param>
public sealed record GbmTrainingResult(GbmModel Model, IReadOnlyList<GbmFoldMetrics> Folds, IReadOnlyList<string> Assets)
{
    /// <summary>Fold means of the headline metrics, as exported in <c>predictive.validation_metrics</c>.</summary>
    public IReadOnlyDictionary<string, double> Summary()
    {
        double Mean(Func<GbmFoldMetrics, double> pick) => Folds.Count == 0 ? double.NaN : Folds.Average(pick);
        return new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["folds"] = Folds.Count,
            ["sharpe"] = Mean(f => f.Performance.Sharpe),
            ["cagr"] = Mean(f => f.Performance.Cagr),
            ["turnover"] = Mean(f => f.Performance.Turnover),
            ["max_drawdown"] = Mean(f => f.Performance.MaxDrawdown),
            ["return_rmse"] = Mean(f => f.ReturnRmse),
            ["volatility_rmse"] = Mean(f => f.VolatilityRmse),
        };
    }
}
