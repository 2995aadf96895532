using System.Text.Json.Nodes;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Training.Card;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Torch;

namespace Predictive.Training.Pipeline;

/// <summary>
/// Everything <see cref="TrainingRunner.Run"/> needs. The defaults train the EIIE network on daily crypto bars in well
/// under five minutes on two cores (four walk-forward folds plus the final model).
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The market data to learn from.</summary>
    public required PricePanel Panel { get; init; }

    /// <summary>The features; null means <see cref="FeatureSpec.Default"/>, without its volume features when the panel has no volume.</summary>
    public FeatureSpec? Spec { get; init; }

    /// <summary>
    /// The spec whose history decides the samples and which assets are available, when the model reads only
    /// <see cref="Spec"/>'s subset of it (<see cref="TrainingDataset.WithFeatures"/>): a search compares feature sets on
    /// the samples of its full spec, and <c>train --from-search</c> trains the chosen set on those same samples. Null
    /// (the default): <see cref="Spec"/> decides both.
    /// </summary>
    public FeatureSpec? SampleSpec { get; init; }

    /// <summary>The network. The default value is <see cref="AllocatorModelKind.Eiie"/>.</summary>
    public AllocatorModelKind Model { get; init; } = AllocatorModelKind.Eiie;

    /// <summary>The objective. The default value is <see cref="PortfolioLossKind.NegativeSharpe"/>.</summary>
    public PortfolioLossKind Loss { get; init; } = PortfolioLossKind.NegativeSharpe;

    /// <summary>The seed of every random choice. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Seeds of an ensemble: when two or more are given, every fold and the final model train one network per seed and
    /// use the mean of their weights (<see cref="AllocatorEnsemble"/>), written as one ONNX graph; <see cref="Seed"/> is
    /// then unused. Null (the default) trains one network with <see cref="Seed"/>.
    /// </summary>
    public IReadOnlyList<int>? EnsembleSeeds { get; init; }

    /// <summary>The seeds trained: <see cref="EnsembleSeeds"/> when set, else <see cref="Seed"/> alone.</summary>
    public IReadOnlyList<int> Seeds => EnsembleSeeds is { Count: > 0 } seeds ? seeds : [Seed];

    /// <summary>The most epochs per training run. The default value is 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Epochs without a better validation Sharpe before a run stops. The default value is 6.</summary>
    public int Patience { get; init; } = 6;

    /// <summary>Width of the hidden layers. The default value is 32.</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>The per-asset weight cap inside the EIIE network, or null for none. The default value is null.</summary>
    public float? MaxWeight { get; init; }

    /// <summary>Consecutive periods per batch. The default value is 64.</summary>
    public int BatchPeriods { get; init; } = 64;

    /// <summary>Adam's learning rate. The default value is 0.001.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Cost per unit of turnover in the training loss only; every reported metric comes from <see cref="Evaluation"/>. The default value is 0.001 (10 bps).</summary>
    public double CostRate { get; init; } = 0.001;

    /// <summary>Which cost the training loss charges (<see cref="TorchTrainerOptions.Cost"/>). The default value is <see cref="TrainingCostKind.Linear"/>.</summary>
    public TrainingCostKind Cost { get; init; } = TrainingCostKind.Linear;

    /// <summary>The calibrated turnover penalty's multiple (<see cref="TorchTrainerOptions.TurnoverPenalty"/>). The default value is 0 (none).</summary>
    public double TurnoverPenalty { get; init; }

    /// <summary>The in-loop no-trade band (<see cref="TorchTrainerOptions.NoTradeBand"/>). The default value is null (none).</summary>
    public float? NoTradeBand { get; init; }

    /// <summary>The tilt around 1/N (<see cref="TorchTrainerOptions.Tilt"/>). The default value is 1 (no anchor).</summary>
    public float Tilt { get; init; } = 1f;

    /// <summary>What the tilt shrinks toward (<see cref="TorchTrainerOptions.Anchor"/>). The default value is <see cref="TiltAnchor.EqualWeight"/>.</summary>
    public TiltAnchor Anchor { get; init; } = TiltAnchor.EqualWeight;

    /// <summary>How validation and the walk-forward test blocks are judged: Core's backtester with the real cost model and a rebalancing policy. The default value is <see cref="EvaluationOptions.Default"/> (cost-aware band).</summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.Default;

    /// <summary>The validation tail (samples) each run early-stops on. The default value is 180.</summary>
    public int ValidationSize { get; init; } = 180;

    /// <summary>Walk-forward settings. The default is 4 expanding folds, purge 1, embargo 5.</summary>
    public WalkForwardOptions WalkForward { get; init; } = new();

    /// <summary>Whether to run the walk-forward evaluation before training the final model. The default value is true.</summary>
    public bool RunWalkForward { get; init; } = true;

    /// <summary>Where to write <c>model.onnx</c> and <c>model.json</c>; null writes nothing.</summary>
    public string? OutDir { get; init; }

    /// <summary>The model name in the manifest; null means <c>eiie-allocator</c> or <c>mlp-allocator</c>.</summary>
    public string? ModelName { get; init; }

    /// <summary>The model version in the manifest; null means <c>&lt;last data day&gt;.s&lt;seed&gt;</c> (no clock is read).</summary>
    public string? ModelVersion { get; init; }

    /// <summary>The command line that started training, recorded in the manifest.</summary>
    public string? CommandLine { get; init; }

    /// <summary>Where the configuration came from, for the model card: a search or, when null, none (one trial).</summary>
    public CardProvenance? Provenance { get; init; }

    /// <summary>The bootstrap of the model card's confidence intervals. The default is 1,000 resamples, seed 42, 95 %.</summary>
    public CardBootstrap CardBootstrap { get; init; } = new();

    /// <summary>The configuration as the model card records it.</summary>
    public JsonObject CardConfiguration(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new JsonObject
        {
            ["name"] = Provenance?.Configuration ?? $"{Model.ToString().ToLowerInvariant()} (train)",
            ["model_kind"] = Model.ToString().ToLowerInvariant(),
            ["objective"] = Loss.ToString(),
            ["training_cost"] = Cost.ToString().ToLowerInvariant(),
            ["cost_rate"] = CostRate,
            ["turnover_penalty"] = TurnoverPenalty,
            ["no_trade_band"] = NoTradeBand,
            ["anchor"] = Anchor.ToString(),
            ["anchor_tilt"] = Tilt,
            ["max_weight"] = MaxWeight,
            ["hidden"] = Hidden,
            ["learning_rate"] = LearningRate,
            ["batch_periods"] = BatchPeriods,
            ["epochs"] = Epochs,
            ["patience"] = Patience,
            ["validation_size"] = ValidationSize,
            ["features"] = new JsonArray([.. spec.FeatureNames.Select(f => JsonValue.Create(f))]),
            ["samples_of_features"] = SampleSpec is { } full ? new JsonArray([.. full.FeatureNames.Select(f => JsonValue.Create(f))]) : null,
            ["walk_forward"] = RunWalkForward ? WalkForward.Describe() : "none",
            ["seeds"] = new JsonArray([.. Seeds.Select(x => JsonValue.Create(x))]),
        };
    }

    /// <summary>The trainer settings these options imply.</summary>
    public TorchTrainerOptions ToTrainerOptions() => new()
    {
        Model = Model,
        Loss = Loss,
        Seed = Seed,
        Epochs = Epochs,
        Patience = Patience,
        Hidden = Hidden,
        BatchPeriods = BatchPeriods,
        LearningRate = LearningRate,
        CostRate = CostRate,
        Evaluation = Evaluation,
        MaxWeight = MaxWeight,
        Cost = Cost,
        TurnoverPenalty = TurnoverPenalty,
        NoTradeBand = NoTradeBand,
        Tilt = Tilt,
        Anchor = Anchor,
    };

    /// <summary>The samples these options train on: <see cref="Panel"/> under <see cref="ResolveSpec"/>, or under <see cref="SampleSpec"/> with only <see cref="ResolveSpec"/>'s features.</summary>
    /// <exception cref="ArgumentException">A feature of the spec is not in <see cref="SampleSpec"/>.</exception>
    public TrainingDataset CreateDataset() =>
        SampleSpec is { } full ? TrainingDataset.Create(Panel, full).WithFeatures(ResolveSpec()) : TrainingDataset.Create(Panel, ResolveSpec());

    /// <summary>The feature spec to use with <see cref="Panel"/>.</summary>
    public FeatureSpec ResolveSpec()
    {
        if (Spec is not null)
        {
            return Spec;
        }

        return Panel.HasVolume ? FeatureSpec.Default : FeatureSpec.Default.Where(f => !f.UsesVolume);
    }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Panel, nameof(Panel));
        ArgumentNullException.ThrowIfNull(WalkForward, nameof(WalkForward));
        ArgumentOutOfRangeException.ThrowIfLessThan(ValidationSize, 1, nameof(ValidationSize));
        if (EnsembleSeeds is { } seeds && (seeds.Count == 1 || seeds.Distinct().Count() != seeds.Count))
        {
            throw new ArgumentException($"EnsembleSeeds must be null or list at least two distinct seeds; got [{string.Join(", ", seeds)}].", nameof(EnsembleSeeds));
        }

        ToTrainerOptions().Validate();
        WalkForward.Validate();
    }
}
