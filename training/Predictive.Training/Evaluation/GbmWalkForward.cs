using Predictive.Core.MarketData;
using Predictive.Training.Data;
using Predictive.Training.Gbm;

namespace Predictive.Training.Evaluation;

/// <summary>One GBM fold: the metrics <see cref="GbmTrainer"/> reports plus the per-period backtest behind them.</summary>
/// <param name="Metrics">The fold's metrics, as <see cref="GbmTrainer"/> computes them.</param>
/// <param name="Backtest">The net-of-cost backtest over the fold's test block.</param>
public sealed record GbmFoldBacktest(GbmFoldMetrics Metrics, BacktestResult Backtest);

/// <summary>
/// The walk-forward folds of the GBM learner with their per-period backtests kept, so the folds can be chained into
/// one overall figure like the torch models' (<see cref="WalkForwardChain"/>). Each fold is fitted and scored the way
/// <see cref="GbmTrainer"/> does it (same rows, seeds, weight rule and costs; a test checks the metrics agree); the
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
        ClassicalPolicy.CheckSameMarket(panel, dataset);
        var labels = GbmLabels.Compute(panel, options);
        var results = new List<GbmFoldBacktest>(folds.Count);
        for (var k = 0; k < folds.Count; k++)
        {
            var fold = folds[k];
            progress?.Report(new GbmProgress($"fold {k + 1}/{folds.Count}: training", k, folds.Count));
            var rows = GbmRows.Select(dataset.Features, dataset.Mask, dataset.Bars, labels, fold.Train.Start, fold.Train.End, dataset.Bar(fold.Test.Start));
            if (rows.Count == 0)
            {
                throw new ArgumentException($"fold {k} has no training row with an available asset and finite labels before its test block; give the fold more samples.", nameof(folds));
            }

            cancellationToken.ThrowIfCancellationRequested();
            var returns = GbmRegressor.Train(rows.Features, rows.ReturnLabels, rows.FeatureCount, options, options.Seed);
            cancellationToken.ThrowIfCancellationRequested();
            var volatility = GbmRegressor.Train(rows.Features, rows.VolatilityLabels, rows.FeatureCount, options, unchecked(options.Seed + 1));
            var lastLabelBar = Math.Min(rows.LastBar + labels.Window, panel.BarCount - 1);
            var model = new GbmModel(dataset.Spec, options, returns, volatility, panel.Timestamps[rows.FirstBar], panel.Timestamps[lastLabelBar]);
            progress?.Report(new GbmProgress($"fold {k + 1}/{folds.Count}: backtesting", k, folds.Count));
            results.Add(Backtest(fold, model, dataset, labels, rows.Count, cancellationToken));
        }

        return results;
    }

    private static GbmFoldBacktest Backtest(WalkForwardFold fold, GbmModel model, TrainingDataset dataset, GbmLabels labels, int trainRows, CancellationToken cancellationToken)
    {
        var n = dataset.AssetCount;
        var f = dataset.FeatureCount;
        var row = new float[n * f];
        double returnError = 0, volError = 0;
        var scored = 0;
        void Policy(int sample, ReadOnlySpan<float> held, Span<float> weights)
        {
            cancellationToken.ThrowIfCancellationRequested();
            GbmTrainer.ServedFeatures(dataset, sample, row);
            model.PredictWeights(row, weights);
            var t = dataset.Bar(sample);
            var mask = dataset.MaskRow(sample);
            for (var a = 0; a < n; a++)
            {
                var label = (t * n) + a;
                if (mask[a] && float.IsFinite(labels.Returns[label]) && float.IsFinite(labels.Volatility[label]))
                {
                    var x = row.AsSpan(a * f, f);
                    returnError += Square(model.Returns.Predict(x) - labels.Returns[label]);
                    volError += Square(model.Volatility.Predict(x) - labels.Volatility[label]);
                    scored++;
                }
            }
        }

        var backtest = PortfolioBacktest.Run(dataset, fold.Test, Policy, model.Options.CostRate);
        var metrics = new GbmFoldMetrics(
            fold,
            dataset.DescribeRange(fold.Test),
            trainRows,
            backtest.Metrics,
            scored > 0 ? Math.Sqrt(returnError / scored) : double.NaN,
            scored > 0 ? Math.Sqrt(volError / scored) : double.NaN);
        return new GbmFoldBacktest(metrics, backtest);
    }

    private static double Square(double x) => x * x;
}
