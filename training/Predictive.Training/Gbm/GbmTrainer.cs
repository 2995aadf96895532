using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Research.Metrics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;

namespace Predictive.Training.Gbm;

/// <summary>
/// Trains the gradient-boosted-tree allocator (ML.NET FastTree): pooled (sample, asset) rows, one regressor for the
/// next-period log return and one for the next-period volatility, weights by <see cref="GbmWeightRule"/>. Each
/// walk-forward fold trains on rows before its test block — purged so that no label reads a close after the first test
/// bar, whatever the splitter's gap — and is backtested out of sample net of costs; the final model trains on every
/// labelled sample.
/// </summary>
public static class GbmTrainer
{
    /// <summary>Builds features and samples from a panel, splits them walk-forward and trains.</summary>
    /// <param name="panel">Prices (and volumes, when the spec uses them).</param>
    /// <param name="spec">The features; the default spec when null.</param>
    /// <param name="options">Learner, rule and cost settings.</param>
    /// <param name="walkForward">The walk-forward split; the splitter's defaults when null.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="cancellationToken">Checked between fits and test samples.</param>
    public static GbmTrainingResult Train(
        PricePanel panel,
        FeatureSpec? spec,
        GbmOptions options,
        WalkForwardOptions? walkForward = null,
        IProgress<GbmProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(panel);
        var dataset = TrainingDataset.Create(panel, spec);
        var folds = WalkForwardSplitter.Split(dataset.SampleCount, walkForward);
        return Train(panel, dataset, folds, options, progress, cancellationToken);
    }

    /// <summary>Trains on a dataset built from <paramref name="panel"/> with the given folds.</summary>
    /// <param name="panel">The panel the dataset was built from (the labels read its closes).</param>
    /// <param name="dataset">The samples.</param>
    /// <param name="folds">Walk-forward folds over the dataset's samples; may be empty (then only the final model is fitted).</param>
    /// <param name="options">Learner, rule and cost settings.</param>
    /// <param name="progress">Optional progress sink.</param>
    /// <param name="cancellationToken">Checked between fits and test samples.</param>
    public static GbmTrainingResult Train(
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

        var labels = GbmLabels.Compute(panel, options);
        var results = RunFolds(panel, dataset, folds, options, labels, progress, cancellationToken).Select(f => f.Metrics).ToList();

        progress?.Report(new GbmProgress("final model: training on all labelled samples", folds.Count, folds.Count));
        var allRows = GbmRows.Select(dataset.Features, dataset.Mask, dataset.Bars, labels, 0, dataset.SampleCount, panel.BarCount - 1);
        var final = Fit(dataset, allRows, options, panel, labels.Window, cancellationToken);
        return new GbmTrainingResult(final, results, dataset.Assets);
    }

    /// <summary>
    /// The walk-forward loop shared by <see cref="Train(PricePanel, TrainingDataset, IReadOnlyList{WalkForwardFold}, GbmOptions, IProgress{GbmProgress}?, CancellationToken)"/>
    /// and <see cref="GbmWalkForward"/>: each fold is fitted on its purged rows and backtested out of sample.
    /// </summary>
    internal static List<GbmFoldBacktest> RunFolds(
        PricePanel panel,
        TrainingDataset dataset,
        IReadOnlyList<WalkForwardFold> folds,
        GbmOptions options,
        GbmLabels labels,
        IProgress<GbmProgress>? progress,
        CancellationToken cancellationToken)
    {
        var results = new List<GbmFoldBacktest>(folds.Count);
        var evaluator = folds.Count == 0 ? null : new SampleBacktester(dataset, options.Evaluation);
        for (var k = 0; k < folds.Count; k++)
        {
            var fold = folds[k];
            progress?.Report(new GbmProgress($"fold {k + 1}/{folds.Count}: training", k, folds.Count));
            var rows = GbmRows.Select(dataset.Features, dataset.Mask, dataset.Bars, labels, fold.Train.Start, fold.Train.End, dataset.Bar(fold.Test.Start));
            if (rows.Count == 0)
            {
                throw new ArgumentException($"fold {k} has no training row with an available asset and finite labels before its test block; give the fold more samples.", nameof(folds));
            }

            var model = Fit(dataset, rows, options, panel, labels.Window, cancellationToken);
            progress?.Report(new GbmProgress($"fold {k + 1}/{folds.Count}: backtesting", k, folds.Count));
            results.Add(Evaluate(evaluator!, fold, model, dataset, labels, rows.Count, cancellationToken));
        }

        return results;
    }

    /// <summary>
    /// The sample's features as the served model receives them: unavailable assets' features are NaN (the dataset stores 0).
    /// </summary>
    internal static void ServedFeatures(TrainingDataset dataset, int sample, Span<float> row)
    {
        dataset.FeatureRow(sample).CopyTo(row);
        var mask = dataset.MaskRow(sample);
        var f = dataset.FeatureCount;
        for (var a = 0; a < mask.Length; a++)
        {
            if (!mask[a])
            {
                row.Slice(a * f, f).Fill(float.NaN);
            }
        }
    }

    private static GbmModel Fit(TrainingDataset dataset, GbmRows rows, GbmOptions options, PricePanel panel, int labelWindow, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (rows.Count == 0)
        {
            throw new ArgumentException("no training row has an available asset and finite labels before the test block; give the fold more samples.", nameof(rows));
        }

        var returns = GbmRegressor.Train(rows.Features, rows.ReturnLabels, rows.FeatureCount, options, options.Seed);
        cancellationToken.ThrowIfCancellationRequested();
        var volatility = GbmRegressor.Train(rows.Features, rows.VolatilityLabels, rows.FeatureCount, options, unchecked(options.Seed + 1));
        var lastLabelBar = Math.Min(rows.LastBar + labelWindow, panel.BarCount - 1);
        return new GbmModel(dataset.Spec, options, returns, volatility, panel.Timestamps[rows.FirstBar], panel.Timestamps[lastLabelBar]);
    }

    private static GbmFoldBacktest Evaluate(SampleBacktester evaluator, WalkForwardFold fold, GbmModel model, TrainingDataset dataset, GbmLabels labels, int trainRows, CancellationToken cancellationToken)
    {
        var n = dataset.AssetCount;
        var f = dataset.FeatureCount;
        var row = new float[n * f];
        double returnError = 0, volError = 0;
        var scored = 0;
        void Policy(int sample, ReadOnlySpan<float> held, Span<float> weights)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ServedFeatures(dataset, sample, row);
            model.PredictWeights(row, weights);
            var t = dataset.Bar(sample);
            for (var a = 0; a < n; a++)
            {
                var label = (t * n) + a;
                if (dataset.MaskRow(sample)[a] && float.IsFinite(labels.Returns[label]) && float.IsFinite(labels.Volatility[label]))
                {
                    var x = row.AsSpan(a * f, f);
                    returnError += Square(model.Returns.Predict(x) - labels.Returns[label]);
                    volError += Square(model.Volatility.Predict(x) - labels.Volatility[label]);
                    scored++;
                }
            }
        }

        var backtest = evaluator.Run("gbm", fold.Test, Policy, cancellationToken);
        var metrics = new GbmFoldMetrics(
            fold,
            dataset.DescribeRange(fold.Test),
            trainRows,
            PerformanceMetrics.Chain([backtest]),
            scored > 0 ? Math.Sqrt(returnError / scored) : double.NaN,
            scored > 0 ? Math.Sqrt(volError / scored) : double.NaN);
        return new GbmFoldBacktest(metrics, backtest);
    }

    private static double Square(double x) => x * x;
}
