using System.Globalization;
using Predictive.Cli.Commands;
using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Research.Metrics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Gbm;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;

namespace Predictive.Cli;

/// <summary>Runs one of the learners behind a single request shape, so the CLI and the demo train the same way.</summary>
public static class ModelTraining
{
    /// <summary>
    /// The classical allocators compared by default: all of them. max-sharpe, once 0.4–0.8 s per decision on 21 assets,
    /// is now one small QP (well under a millisecond), so the whole comparison adds seconds to a run, not hours.
    /// </summary>
    public static IReadOnlyList<string> DefaultBaselines { get; } = Allocators.Names;

    /// <summary>What to train and where to write it.</summary>
    /// <param name="Kind">eiie, mlp or gbm.</param>
    /// <param name="Panel">The market data.</param>
    /// <param name="OutDir">Where model.onnx and model.json go.</param>
    /// <param name="Seed">The learner's seed.</param>
    /// <param name="Epochs">Most epochs per fit (torch models); null for the default.</param>
    /// <param name="Name">Model name for the manifest; null for the default.</param>
    /// <param name="Version">Model version for the manifest; null for the default.</param>
    /// <param name="CommandLine">The command recorded in the manifest.</param>
    /// <param name="Baselines">Classical allocators to compare on the same folds; null means <see cref="DefaultBaselines"/>, empty none.</param>
    /// <param name="MaxWeight">eiie only: the cap built into the network; null for none.</param>
    /// <param name="Policy">The rebalancing policy the evaluation backtests with; null for <see cref="EvaluationOptions"/>' default (cost-band).</param>
    /// <param name="Learning">eiie/mlp only: the training cost, the ways to learn where not to trade, and the ensemble's seeds; null for the defaults.</param>
    /// <param name="Searched">eiie/mlp only: a search's chosen configuration and its provenance for the model card (<c>train --from-search</c>); it replaces the kind, epochs, cap, policy and learning choices except the ensemble's seeds.</param>
    public sealed record Request(string Kind, PricePanel Panel, string OutDir, int Seed, int? Epochs, string? Name, string? Version, string CommandLine, IReadOnlyList<string>? Baselines = null, double? MaxWeight = null, PolicySpec? Policy = null, LearningChoices? Learning = null, SearchedConfiguration? Searched = null)
    {
        /// <summary>The evaluation world of this request.</summary>
        public EvaluationOptions Evaluation => Policy is null ? EvaluationOptions.Default : EvaluationOptions.Default with { Policy = Policy };
    }

    /// <summary>Trains, exports and summarizes. Progress lines go to <paramref name="progress"/>.</summary>
    public static TrainSummary Run(Request request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = DataSources.DefaultSpec(request.Panel);
        return request.Kind == "gbm" ? Gbm(request, spec, progress, cancellationToken) : Torch(request, spec, progress, cancellationToken);
    }

    private static TrainSummary Torch(Request r, FeatureSpec spec, IProgress<string>? progress, CancellationToken ct)
    {
        var options = r.Searched is { } searched
            ? searched.Options with
            {
                Panel = r.Panel,
                Spec = searched.Options.Spec ?? spec,
                Seed = r.Seed,
                OutDir = r.OutDir,
                ModelName = r.Name,
                ModelVersion = r.Version,
                CommandLine = r.CommandLine,
                EnsembleSeeds = r.Learning?.EnsembleSeeds,
                Provenance = searched.Provenance,
            }
            : new TrainingOptions
        {
            Panel = r.Panel,
            Spec = spec,
            Model = r.Kind == "mlp" ? AllocatorModelKind.Mlp : AllocatorModelKind.Eiie,
            Seed = r.Seed,
            Epochs = r.Epochs ?? 30,
            MaxWeight = (float?)r.MaxWeight,
            OutDir = r.OutDir,
            ModelName = r.Name,
            ModelVersion = r.Version,
            CommandLine = r.CommandLine,
            Evaluation = r.Evaluation,
            Cost = r.Learning?.Cost ?? TrainingCostKind.Linear,
            TurnoverPenalty = r.Learning?.TurnoverPenalty ?? 0,
            NoTradeBand = r.Learning?.NoTradeBand,
            Tilt = r.Learning?.Tilt ?? 1f,
            EnsembleSeeds = r.Learning?.EnsembleSeeds,
        };
        var lastStage = "";
        var sink = progress is null ? null : new SyncProgress<TrainingProgress>(p =>
        {
            if (p.StoppedEarly || p.Epoch == p.Epochs || p.Stage != lastStage || p.Epoch % 5 == 0)
            {
                lastStage = p.Stage;
                progress.Report(string.Create(CultureInfo.InvariantCulture,
                    $"{Bar(p.Fraction)} {p.Stage,-9} epoch {p.Epoch,3}/{p.Epochs} loss {p.Loss,8:F4} validation Sharpe {p.ValidationSharpe,6:F2} (best {p.BestValidationSharpe:F2}){(p.StoppedEarly ? " early stop" : "")}"));
            }
        });
        var result = TrainingRunner.Run(options, sink, ct);
        var manifest = result.Manifest ?? throw new CliException("training finished without writing a model artifact.");

        // The runner keeps its dataset and folds to itself; both are deterministic functions of the panel, spec and
        // walk-forward options, so rebuilding them gives the very test blocks the model was judged on.
        var dataset = options.CreateDataset();
        var folds = options.RunWalkForward ? WalkForwardSplitter.Split(dataset.SampleCount, options.WalkForward) : [];
        return new TrainSummary(
            r.Kind,
            r.Seed,
            result.ArtifactDirectory ?? r.OutDir,
            manifest.Sha256,
            [.. result.Folds.Select(f => new FoldSummary(f.Index, f.TestRange, f.Test.Sharpe, f.Test.Turnover, f.Test.MaxDrawdown))],
            MetricsSummary.From(result.Overall),
            MetricsSummary.From(result.EqualWeightOverall),
            Baselines(r, dataset, folds, progress, ct),
            r.Evaluation.Policy.Name);
    }

    private static TrainSummary Gbm(Request r, FeatureSpec spec, IProgress<string>? progress, CancellationToken ct)
    {
        var options = new GbmOptions { Seed = r.Seed, Evaluation = r.Evaluation };
        var sink = progress is null ? null : new SyncProgress<GbmProgress>(p => progress.Report($"{Bar((p.Fold + 1.0) / (p.FoldCount + 1))} {p.Stage} ({p.Fold + 1}/{p.FoldCount + 1})"));
        var run = GbmRunner.Run(r.Panel, spec, options, new WalkForwardOptions(), new GbmRunner.Artifact(r.OutDir, r.Name ?? "gbm-allocator", r.Version, r.CommandLine), sink, ct);
        var (dataset, folds, walk, result, manifest) = (run.Dataset, run.Folds, run.Walk, run.Result, run.Manifest);
        var evaluator = new SampleBacktester(dataset, options.Evaluation);
        var equal = folds.Select(f => evaluator.Run("equal", f.Test, evaluator.EqualWeights, ct)).ToList();
        return new TrainSummary(
            "gbm",
            r.Seed,
            r.OutDir,
            manifest.Sha256,
            [.. result.Folds.Select(f => new FoldSummary(f.Fold.Index, f.TestRange, f.Performance.Sharpe, f.Performance.Turnover, f.Performance.MaxDrawdown))],
            folds.Count == 0 ? null : MetricsSummary.From(PerformanceMetrics.Chain([.. walk.Select(f => f.Backtest)])),
            folds.Count == 0 ? null : MetricsSummary.From(PerformanceMetrics.Chain(equal)),
            Baselines(r, dataset, folds, progress, ct),
            r.Evaluation.Policy.Name);
    }

    private static Dictionary<string, BaselineSummary>? Baselines(Request r, TrainingDataset dataset, IReadOnlyList<WalkForwardFold> folds, IProgress<string>? progress, CancellationToken ct)
    {
        var names = r.Baselines ?? DefaultBaselines;
        if (names.Count == 0 || folds.Count == 0)
        {
            return null;
        }

        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{Bar(1)} {string.Join(", ", names)} on the same {folds.Count} test blocks"));
        var summaries = new Dictionary<string, BaselineSummary>(StringComparer.Ordinal);
        foreach (var b in BaselineComparison.Run(new SampleBacktester(dataset, r.Evaluation), dataset, folds, names, ct))
        {
            var foldSummaries = b.Folds.Select((block, k) => (folds[k], PerformanceMetrics.Chain([block]))).Select(p => new FoldSummary(p.Item1.Index, dataset.DescribeRange(p.Item1.Test), p.Item2.Sharpe, p.Item2.Turnover, p.Item2.MaxDrawdown));
            summaries.Add(b.Name, new BaselineSummary(b.Overall?.Sharpe ?? 0, b.Overall?.Turnover ?? 0, b.Overall?.MaxDrawdown ?? 0, [.. foldSummaries], b.Fallbacks));
        }

        return summaries;
    }

    private static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 20);
        return string.Create(CultureInfo.InvariantCulture, $"[{new string('#', filled)}{new string('.', 20 - filled)}] {fraction,4:P0}");
    }
}

/// <summary>How a torch model learns (docs/learned-models.md): the training cost, the three ways to learn where not to trade, and an ensemble of seeds.</summary>
/// <param name="Cost">The cost the loss charges.</param>
/// <param name="TurnoverPenalty">The calibrated turnover penalty's multiple (0: none).</param>
/// <param name="NoTradeBand">The in-loop no-trade band, or null.</param>
/// <param name="Tilt">The tilt around 1/N in (0, 1] (1: none).</param>
/// <param name="EnsembleSeeds">Two or more seeds for an ensemble, or null.</param>
public sealed record LearningChoices(TrainingCostKind Cost, double TurnoverPenalty, float? NoTradeBand, float Tilt, IReadOnlyList<int>? EnsembleSeeds);

/// <summary>A search's chosen configuration (<c>train --from-search</c>) and where it came from.</summary>
/// <param name="Options">The configuration's training options (kind, objective, costs, restraints, hyperparameters, epochs, evaluation).</param>
/// <param name="Provenance">The search and trial counts the model card records.</param>
public sealed record SearchedConfiguration(TrainingOptions Options, Predictive.Training.Card.CardProvenance Provenance);
