using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Core.Backtesting;
using Predictive.Onnx.Manifest;
using Predictive.Research.Metrics;
using Predictive.Training.Card;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Torch;

namespace Predictive.Training.Pipeline;

/// <summary>
/// The training pipeline the CLI calls: dataset → walk-forward evaluation (one model per fold, each judged on its
/// later test block) → final model → ONNX export → <c>model.onnx</c> + <c>model.json</c>.
/// </summary>
/// <remarks>
/// The final model is trained on every sample except the last <see cref="TrainingOptions.ValidationSize"/> (and the
/// purge + embargo gap before them), and early-stops on that last slice; so it has seen the test blocks of all folds.
/// </remarks>
public static class TrainingRunner
{
    /// <summary>Runs the pipeline.</summary>
    /// <exception cref="ArgumentException">The options are invalid or the data too short for the folds.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static TrainingResult Run(TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Before any torch operation, so libtorch picks the pinned kernels; a model that could not be reproduced is
        // refused here, before hours of training, and again (re-read) when the artifact is written.
        TorchCpuKernels.EnsurePinned();
        var data = options.CreateDataset();
        var trainer = options.ToTrainerOptions();
        var folds = options.RunWalkForward ? WalkForwardSplitter.Split(data.SampleCount, options.WalkForward) : [];
        var seeds = options.Seeds;
        var stages = folds.Count + 1;
        var foldResults = new List<FoldResult>(folds.Count);
        var tests = new List<BacktestResult>(folds.Count);
        var equals = new List<BacktestResult>(folds.Count);
        var cardFolds = new List<CardFold>(folds.Count);
        var seedTests = seeds.Select(_ => new List<BacktestResult>(folds.Count)).ToArray();
        var evaluator = folds.Count == 0 && seeds.Count == 1 ? null : new SampleBacktester(data, options.Evaluation);
        foreach (var fold in folds)
        {
            var (fit, validation) = fold.SplitValidation(Math.Min(options.ValidationSize, fold.Train.Count / 4));
            var members = TrainMembers(data, fit, validation, trainer, seeds, progress, $"fold {fold.Index + 1}/{folds.Count}", fold.Index, stages, options.Epochs, cancellationToken);
            try
            {
                var memberTests = members.Select(m => TorchAllocatorTrainer.Evaluate(m.Network, evaluator!, data, fold.Test, cancellationToken)).ToList();
                var test = members.Count == 1 ? memberTests[0] : evaluator!.Run("ensemble", fold.Test, Ensemble(members).Policy(data), cancellationToken);
                var equal = evaluator!.Run("equal", fold.Test, evaluator.EqualWeights, cancellationToken);
                for (var k = 0; k < members.Count; k++)
                {
                    seedTests[k].Add(memberTests[k]);
                }

                tests.Add(test);
                equals.Add(equal);
                cardFolds.Add(new CardFold(fold.Index, data.DescribeRange(fold.Test), test, equal));
                foldResults.Add(new FoldResult(fold.Index, data.DescribeRange(fold.Train), data.DescribeRange(fold.Test), members[0].BestEpoch, members[0].EpochsRun, members[0].Validation, PerformanceMetrics.Chain([test]), PerformanceMetrics.Chain([equal])));
            }
            finally
            {
                members.ForEach(m => m.Network.Dispose());
            }
        }

        var overall = folds.Count > 0 ? PerformanceMetrics.Chain(tests) : null;
        var equalOverall = folds.Count > 0 ? PerformanceMetrics.Chain(equals) : null;
        var seedOverall = folds.Count > 0 && seeds.Count > 1 ? seedTests.Select(t => PerformanceMetrics.Chain(t)).ToList() : null;

        var gap = options.WalkForward.Gap;
        var validationSize = Math.Min(options.ValidationSize, data.SampleCount / 4);
        var finalFit = SampleRange.FromBounds(0, data.SampleCount - validationSize - gap);
        var finalValidation = SampleRange.FromBounds(data.SampleCount - validationSize, data.SampleCount);
        var finals = TrainMembers(data, finalFit, finalValidation, trainer, seeds, progress, "final", stages - 1, stages, options.Epochs, cancellationToken);
        try
        {
            var final = finals.Count == 1
                ? finals[0]
                : finals[0] with { Validation = PerformanceMetrics.Chain([evaluator!.Run("ensemble", finalValidation, Ensemble(finals).Policy(data), cancellationToken)]) };
            string? directory = null;
            ModelManifest? manifest = null;
            if (options.OutDir is not null)
            {
                directory = options.OutDir;
                var members = seeds.Select((seed, k) => new CardMember(seed, folds.Count > 0 ? seedTests[k] : null, finals[k].Validation?.Sharpe)).ToList();
                var card = ModelCard.Build(new CardInputs(options.Panel, options.CardConfiguration(data.Spec), options.Provenance ?? CardProvenance.None(options.CardConfiguration(data.Spec)["name"]!.GetValue<string>()), cardFolds, members, options.Evaluation.Policy.Name, options.CardBootstrap));
                manifest = WriteArtifact(options, data, finals, final.Validation, finalFit, finalValidation, foldResults, overall, equalOverall, seedOverall, card);
            }

            return new TrainingResult(foldResults, overall, equalOverall, data.DescribeRange(finalFit), data.DescribeRange(finalValidation), final.Validation, final.BestEpoch, directory, manifest);
        }
        finally
        {
            finals.ForEach(m => m.Network.Dispose());
        }
    }

    /// <summary>The informational version of this build, recorded as the producer version.</summary>
    public static string ProducerVersion =>
        typeof(TrainingRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private static ModelManifest WriteArtifact(
        TrainingOptions options,
        TrainingDataset data,
        List<TrainedAllocator> finals,
        PerformanceMetrics? finalValidation,
        SampleRange fit,
        SampleRange validation,
        List<FoldResult> folds,
        PerformanceMetrics? overall,
        PerformanceMetrics? equalOverall,
        List<PerformanceMetrics>? seedOverall,
        JsonObject card)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (k, v) in finalValidation?.ToDictionary() ?? new Dictionary<string, double>())
        {
            metrics[k] = v;
        }

        if (overall is not null)
        {
            metrics["walk_forward_sharpe"] = overall.ToDictionary()["sharpe"];
            metrics["walk_forward_turnover"] = overall.ToDictionary()["turnover"];
            metrics["walk_forward_max_drawdown"] = overall.ToDictionary()["max_drawdown"];
        }

        var metricsJson = JsonSerializer.Serialize(metrics);
        var trainingRange = data.DescribeRange(fit);
        var network = finals[0].Network;
        var fixedAssets = network.FixedAssetCount is null ? null : data.Assets;
        var exportMetadata = new OnnxExportMetadata(data.Spec.ToJson(), trainingRange, metricsJson, options.Seeds[0], ProducerVersion, fixedAssets);
        var model = finals.Count == 1 ? TorchOnnxExporter.Export(network, exportMetadata) : TorchOnnxExporter.Export(Ensemble(finals), exportMetadata);
        var name = options.ModelName ?? (options.Model == AllocatorModelKind.Eiie ? "eiie-allocator" : "mlp-allocator");
        var version = options.ModelVersion ?? string.Create(CultureInfo.InvariantCulture, $"{data.Time(data.SampleCount - 1).UtcDateTime:yyyy-MM-dd}.s{options.Seed}");
        var record = new JsonObject
        {
            ["model_kind"] = options.Model.ToString().ToLowerInvariant(),
            ["loss"] = options.Loss.ToString(),
            ["feature_spec"] = JsonNode.Parse(data.Spec.ToJson()),
            ["training_range"] = trainingRange,
            ["validation_range"] = data.DescribeRange(validation),
            ["final_model"] = "trained on all samples but the last validation slice (and the purge + embargo gap before it); early-stopped on that slice",
            ["validation_metrics"] = JsonNode.Parse(metricsJson),
            ["walk_forward"] = new JsonObject
            {
                ["window"] = options.WalkForward.Window.ToString().ToLowerInvariant(),
                ["purge"] = options.WalkForward.Purge,
                ["embargo"] = options.WalkForward.Embargo,
                ["folds"] = new JsonArray([.. folds.Select(FoldJson)]),
                ["overall"] = overall is null ? null : JsonNode.Parse(overall.ToJson()),
                ["equal_weight_overall"] = equalOverall is null ? null : JsonNode.Parse(equalOverall.ToJson()),
            },
            ["cost_rate"] = options.CostRate,
            ["training_cost"] = options.Cost.ToString().ToLowerInvariant(),
            ["turnover_penalty"] = options.TurnoverPenalty,
            ["no_trade_band"] = options.NoTradeBand,
            ["anchor_tilt"] = options.Tilt,
            ["evaluation"] = EvaluationJson(options.Evaluation),
            ["seed"] = options.Seed,
            ["epochs"] = options.Epochs,
            ["hidden"] = options.Hidden,
            ["best_epoch"] = finals[0].BestEpoch,
            ["ensemble"] = finals.Count == 1 ? null : new JsonObject
            {
                ["seeds"] = new JsonArray([.. options.Seeds.Select(x => JsonValue.Create(x))]),
                ["combination"] = "mean of the members' weights, one ONNX graph",
                ["member_walk_forward_sharpe"] = seedOverall is null ? null : new JsonArray([.. seedOverall.Select(m => JsonValue.Create(m.Sharpe))]),
                ["member_best_epochs"] = new JsonArray([.. finals.Select(m => JsonValue.Create(m.BestEpoch))]),
            },
            ["command_line"] = options.CommandLine,
            ["producer_version"] = ProducerVersion,
            ["environment"] = TrainingEnvironment.ForTorch(),
        };
        var manifest = ModelArtifactWriter.Write(options.OutDir!, model, name, version, fixedAssets, record, card);
        ModelCardMarkdown.WriteBeside(options.OutDir!, card, manifest);
        return manifest;
    }

    /// <summary>The evaluation world as recorded in <c>model.json</c>.</summary>
    public static JsonObject EvaluationJson(EvaluationOptions e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new JsonObject
        {
            ["backtester"] = "Predictive.Core Backtester (docs/backtesting.md)",
            ["policy"] = e.Policy.Name,
            ["quote_asset"] = e.QuoteAsset,
            ["initial_value_quote"] = e.InitialValueQuote,
            ["pool_fee_bps"] = e.Costs.PoolFeeBps,
            ["pool_depth_quote"] = e.PoolDepthQuote,
            ["gas_units_per_swap"] = e.Costs.GasUnitsPerSwap,
            ["gas_price_gwei"] = e.Costs.GasPriceGwei,
        };
    }

    private static JsonObject FoldJson(FoldResult f) => new()
    {
        ["index"] = f.Index,
        ["train"] = f.TrainRange,
        ["test"] = f.TestRange,
        ["best_epoch"] = f.BestEpoch,
        ["test_metrics"] = JsonNode.Parse(f.Test.ToJson()),
        ["equal_weight_test_metrics"] = JsonNode.Parse(f.EqualWeightTest.ToJson()),
    };

    // One trained network per seed (the options' own seed alone without an ensemble); on failure the ones trained are disposed.
    private static List<TrainedAllocator> TrainMembers(TrainingDataset data, SampleRange fit, SampleRange validation, TorchTrainerOptions trainer, IReadOnlyList<int> seeds, IProgress<TrainingProgress>? progress, string stage, int index, int count, int epochs, CancellationToken cancellationToken)
    {
        var members = new List<TrainedAllocator>(seeds.Count);
        try
        {
            foreach (var seed in seeds)
            {
                var label = seeds.Count == 1 ? stage : string.Create(CultureInfo.InvariantCulture, $"{stage} seed {seed}");
                members.Add(TorchAllocatorTrainer.Train(data, fit, validation, trainer with { Seed = seed }, Reporter(progress, label, index, count, epochs), cancellationToken));
            }

            return members;
        }
        catch
        {
            members.ForEach(m => m.Network.Dispose());
            throw;
        }
    }

    private static AllocatorEnsemble Ensemble(List<TrainedAllocator> members) => new([.. members.Select(m => m.Network)]);

    private static Action<EpochReport>? Reporter(IProgress<TrainingProgress>? progress, string stage, int index, int count, int epochs) =>
        progress is null ? null : e => progress.Report(new TrainingProgress(stage, index, count, e.Epoch, epochs, e.Loss, e.ValidationSharpe, e.BestValidationSharpe, e.StoppedEarly));
}
