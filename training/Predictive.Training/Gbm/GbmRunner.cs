using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Onnx.Manifest;
using Predictive.Training.Card;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Pipeline;

namespace Predictive.Training.Gbm;

/// <summary>
/// The gbm learner's whole pipeline, as <c>predictive train --model gbm</c> and the operator's retrain run it: the
/// walk-forward folds (when asked for; their per-period backtests are kept), the final model on every labelled sample,
/// its ONNX export, and <c>model.onnx</c> + <c>model.json</c> with the training record.
/// </summary>
public static class GbmRunner
{
    /// <summary>Where and under what name the model is written, and the command recorded with it.</summary>
    /// <param name="OutDir">The model directory (created if needed).</param>
    /// <param name="Name">The manifest's model name.</param>
    /// <param name="Version">The manifest's version; null means <c>&lt;last decision bar, yyyy-MM-dd&gt;.s&lt;seed&gt;</c>.</param>
    /// <param name="CommandLine">The command recorded in <c>model.json</c>.</param>
    public sealed record Artifact(string OutDir, string Name, string? Version, string CommandLine);

    /// <summary>What a run produced.</summary>
    /// <param name="Dataset">The samples the model was trained on.</param>
    /// <param name="Folds">The walk-forward folds (empty when none were run).</param>
    /// <param name="Walk">Each fold's metrics and per-period backtest.</param>
    /// <param name="Result">The final model with the folds' metrics.</param>
    /// <param name="Manifest">The written manifest.</param>
    public sealed record Outcome(TrainingDataset Dataset, IReadOnlyList<WalkForwardFold> Folds, IReadOnlyList<GbmFoldBacktest> Walk, GbmTrainingResult Result, ModelManifest Manifest);

    /// <summary>Trains, exports and writes.</summary>
    /// <param name="panel">The market data (every bar the model may learn from; labels read its closes).</param>
    /// <param name="spec">The features.</param>
    /// <param name="options">Learner, rule and cost settings.</param>
    /// <param name="walkForward">The walk-forward split to judge the learner on first; null runs none.</param>
    /// <param name="artifact">Where to write.</param>
    /// <param name="progress">Optional progress sink; the final fit reports the fold count as its fold.</param>
    /// <param name="cancellationToken">Checked between fits and test samples.</param>
    public static Outcome Run(PricePanel panel, FeatureSpec spec, GbmOptions options, WalkForwardOptions? walkForward, Artifact artifact, IProgress<GbmProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(artifact);
        var dataset = TrainingDataset.Create(panel, spec);
        IReadOnlyList<WalkForwardFold> folds = walkForward is null ? [] : WalkForwardSplitter.Split(dataset.SampleCount, walkForward);

        // The folds are run through GbmWalkForward rather than inside GbmTrainer so their per-period returns are kept and
        // can be chained into the overall figure; the trainer then fits only the final model.
        var walk = GbmWalkForward.Run(panel, dataset, folds, options, progress, cancellationToken);
        var finalProgress = progress is null ? null : new Relay(p => progress.Report(p with { Fold = folds.Count, FoldCount = folds.Count }));
        var final = GbmTrainer.Train(panel, dataset, [], options, finalProgress, cancellationToken);
        var result = final with { Folds = [.. walk.Select(f => f.Metrics)] };
        var summary = result.Summary();
        var onnx = GbmOnnxExporter.Build(result.Model, summary);
        var record = new JsonObject
        {
            ["model_kind"] = "gbm",
            ["feature_spec"] = JsonNode.Parse(spec.ToJson()),
            ["training_range"] = $"{Iso(dataset.Time(0))}/{Iso(dataset.Time(dataset.SampleCount - 1))}",
            ["labels_through"] = Iso(panel.End!.Value),
            ["validation_metrics"] = JsonNode.Parse(JsonSerializer.Serialize(summary.Where(p => double.IsFinite(p.Value)).ToDictionary(p => p.Key, p => p.Value))),
            ["walk_forward"] = new JsonObject
            {
                ["folds"] = new JsonArray([.. result.Folds.Select(f => new JsonObject
                {
                    ["index"] = f.Fold.Index,
                    ["test"] = f.TestRange,
                    ["train_rows"] = f.TrainRows,
                    ["test_metrics"] = JsonNode.Parse(f.Performance.ToJson()),
                })]),
            },
            ["seed"] = options.Seed,
            ["trees"] = options.Trees,
            ["evaluation"] = TrainingRunner.EvaluationJson(options.Evaluation),
            ["command_line"] = artifact.CommandLine,
            ["environment"] = TrainingEnvironment.ForGbm(),
        };
        var evaluator = new SampleBacktester(dataset, options.Evaluation);
        var cardFolds = folds.Select((f, k) => new CardFold(f.Index, dataset.DescribeRange(f.Test), walk[k].Backtest, evaluator.Run("equal", f.Test, evaluator.EqualWeights, cancellationToken))).ToList();
        var card = ModelCard.Build(new CardInputs(panel, Configuration(options, spec, walkForward), CardProvenance.None("gbm (train)"), cardFolds, [new CardMember(options.Seed, folds.Count > 0 ? [.. walk.Select(w => w.Backtest)] : null, null)], options.Evaluation.Policy.Name, new CardBootstrap()));
        var version = artifact.Version ?? string.Create(CultureInfo.InvariantCulture, $"{dataset.Time(dataset.SampleCount - 1).UtcDateTime:yyyy-MM-dd}.s{options.Seed}");
        var manifest = ModelArtifactWriter.Write(artifact.OutDir, onnx, artifact.Name, version, null, record, card);
        ModelCardMarkdown.WriteBeside(artifact.OutDir, card, manifest);
        return new Outcome(dataset, folds, walk, result, manifest);
    }

    private static JsonObject Configuration(GbmOptions o, FeatureSpec spec, WalkForwardOptions? walkForward) => new()
    {
        ["name"] = "gbm (train)",
        ["model_kind"] = "gbm",
        ["trees"] = o.Trees,
        ["leaves"] = o.Leaves,
        ["learning_rate"] = o.LearningRate,
        ["min_examples_per_leaf"] = o.MinExamplesPerLeaf,
        ["return_horizon"] = o.ReturnHorizon,
        ["volatility_horizon"] = o.VolatilityHorizon,
        ["temperature"] = o.Temperature,
        ["volatility_floor"] = o.VolatilityFloor,
        ["features"] = new JsonArray([.. spec.FeatureNames.Select(f => JsonValue.Create(f))]),
        ["walk_forward"] = walkForward?.Describe() ?? "none",
        ["seeds"] = new JsonArray(o.Seed),
    };

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // Reports on the caller's thread (System.Progress would post to the thread pool and reorder the lines).
    private sealed class Relay(Action<GbmProgress> report) : IProgress<GbmProgress>
    {
        public void Report(GbmProgress value) => report(value);
    }
}
