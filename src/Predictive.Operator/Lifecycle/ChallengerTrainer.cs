using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Onnx.Registry;
using Predictive.Operator.Options;
using Predictive.Training.Data;
using Predictive.Training.Gbm;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Trains a challenger with the recorded configuration through the training pipeline (<see cref="TrainingRunner"/>,
/// the same one <c>predictive train</c> runs; torch networks by default as an ensemble of seeds under Core's cost model,
/// <see cref="RetrainOptions.EnsembleSeeds"/>, <see cref="RetrainOptions.Cost"/>, with the model card written) on every bar but the evaluation window, and publishes it as a new
/// version with <see cref="ModelVersionWriter"/> (staged, checked, renamed into place).
/// </summary>
/// <remarks>
/// The version is a function of the data and the configuration (see <see cref="Version"/>), so a retrain that runs
/// again on the same data (a recovery after a crash, or a regular firing right after it) finds the version already
/// published and writes nothing: one version, not two. It is a positive integer, as the on-chain registry needs for a
/// governed proposal.
/// </remarks>
public static class ChallengerTrainer
{
    /// <summary>What a training produced.</summary>
    /// <param name="Key">The version's key, <c>name/version</c>.</param>
    /// <param name="Sha256">Its SHA-256.</param>
    /// <param name="Directory">Its folder.</param>
    /// <param name="TrainedThrough">The last bar its training and validation saw.</param>
    /// <param name="Created">False when the version already existed and nothing was trained.</param>
    /// <param name="ValidationSharpe">The final fit's validation Sharpe (torch), or the walk-forward folds' mean Sharpe (gbm, when folds ran); null when nothing trained.</param>
    public sealed record Outcome(string Key, string Sha256, string Directory, DateTimeOffset TrainedThrough, bool Created, double? ValidationSharpe);

    /// <summary>The bars a challenger may learn from: all but the last <paramref name="windowBars"/> of the traded assets.</summary>
    /// <exception cref="ArgumentException">The data is too short for the window plus a training set.</exception>
    public static PricePanel TrainingPanel(PricePanel assetPanel, int windowBars, int validationSize)
    {
        ArgumentNullException.ThrowIfNull(assetPanel);
        var trainBars = assetPanel.BarCount - windowBars;
        if (trainBars < (validationSize * 2) + 100)
        {
            throw new ArgumentException($"the data has {assetPanel.BarCount} bars; holding out Evaluation:WindowBars={windowBars} leaves {trainBars}, too few to train with Retrain:ValidationSize={validationSize} (need at least {(validationSize * 2) + 100}).");
        }

        return assetPanel.Slice(0, trainBars);
    }

    /// <summary>Trains and publishes (or finds) the challenger for <paramref name="fullPanel"/>.</summary>
    public static Outcome Train(PricePanel fullPanel, OperatorOptions options, string commandLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fullPanel);
        ArgumentNullException.ThrowIfNull(options);
        var assetPanel = new BacktestMarket(fullPanel).AssetPanel();
        var panel = TrainingPanel(assetPanel, options.Evaluation.WindowBars, options.Retrain.ValidationSize);
        var r = options.Retrain;
        var spec = r.FeatureSpec is { } json ? FeatureSpec.FromJson(json) : panel.HasVolume ? FeatureSpec.Default : FeatureSpec.Default.Where(f => !f.UsesVolume);
        var trainedThrough = panel.End!.Value;
        var version = Version(panel, spec, r);

        // A retrain killed mid-write left a staging folder (possibly under another version, if the configuration has
        // changed since). Retrains never overlap ([DisallowConcurrentExecution], cluster-wide on a shared store), so
        // any staging folder of this name now is stale.
        ModelVersionWriter.RemoveStaleStaging(options.ModelsDirectory, r.ModelName);
        double? validationSharpe = null;
        var (manifest, created) = ModelVersionWriter.Publish(options.ModelsDirectory, r.ModelName, version, staging =>
        {
            if (r.Kind == "gbm")
            {
                var gbm = GbmRunner.Run(
                    panel,
                    spec,
                    new GbmOptions { Seed = r.Seed, Trees = r.GbmTrees },
                    r.RunWalkForward ? new WalkForwardOptions() : null,
                    new GbmRunner.Artifact(staging, r.ModelName, version, commandLine),
                    null,
                    cancellationToken);
                validationSharpe = gbm.Result.Folds.Count > 0 ? gbm.Result.Summary()["sharpe"] : null;
                return;
            }

            var result = TrainingRunner.Run(
                new TrainingOptions
                {
                    Panel = panel,
                    Spec = spec,
                    Model = r.Kind == "mlp" ? AllocatorModelKind.Mlp : AllocatorModelKind.Eiie,
                    Seed = r.Seed,
                    Epochs = r.Epochs,
                    Patience = r.Patience,
                    ValidationSize = r.ValidationSize,
                    RunWalkForward = r.RunWalkForward,
                    OutDir = staging,
                    ModelName = r.ModelName,
                    ModelVersion = version,
                    CommandLine = commandLine,
                    EnsembleSeeds = r.ParseEnsembleSeeds(),
                    Cost = r.Cost == "pool" ? TrainingCostKind.Pool : TrainingCostKind.Linear,
                    TurnoverPenalty = r.TurnoverPenalty,
                },
                null,
                cancellationToken);
            validationSharpe = result.FinalValidation?.Sharpe;
        });
        var directory = ModelVersionWriter.FinalDirectory(options.ModelsDirectory, r.ModelName, version);
        return new Outcome($"{r.ModelName}/{version}", manifest.Sha256, directory, trainedThrough, created, validationSharpe);
    }

    /// <summary>
    /// <c>&lt;last training bar, yyyyMMddHHmm&gt;&lt;6 digits of a hash of the configuration and data shape&gt;</c>, an
    /// 18-digit positive integer: the same data and configuration always name the same version, newer data sorts later
    /// (in ordinal and numeric order alike), and it fits the registry's <c>uint64</c> version.
    /// </summary>
    public static string Version(PricePanel trainingPanel, FeatureSpec spec, RetrainOptions retrain)
    {
        ArgumentNullException.ThrowIfNull(trainingPanel);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(retrain);
        var identity = JsonSerializer.Serialize(new
        {
            retrain.Kind,
            retrain.Seed,
            Trees = retrain.Kind == "gbm" ? retrain.GbmTrees : 0,
            retrain.Epochs,
            retrain.Patience,
            retrain.ValidationSize,
            retrain.RunWalkForward,
            Ensemble = retrain.Kind == "gbm" ? null : retrain.ParseEnsembleSeeds(),
            Cost = retrain.Kind == "gbm" ? null : retrain.Cost,
            Penalty = retrain.Kind == "gbm" ? 0 : retrain.TurnoverPenalty,
            Spec = spec.ToJson(),
            Assets = trainingPanel.Assets,
            Bars = trainingPanel.BarCount,
            Start = trainingPanel.Start,
            End = trainingPanel.End,
        });
        var hash = BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(identity))) % 1_000_000;
        return string.Create(CultureInfo.InvariantCulture, $"{trainingPanel.End!.Value.UtcDateTime:yyyyMMddHHmm}{hash:D6}");
    }
}
