using Predictive.Training.Evaluation;

namespace Predictive.Training.Torch;

/// <summary>Settings of <see cref="TorchAllocatorTrainer"/>. Defaults train on ~3,000 daily bars in seconds per fold.</summary>
public sealed record TorchTrainerOptions
{
    /// <summary>The network. The default value is <see cref="AllocatorModelKind.Eiie"/>.</summary>
    public AllocatorModelKind Model { get; init; } = AllocatorModelKind.Eiie;

    /// <summary>The objective. The default value is <see cref="PortfolioLossKind.NegativeSharpe"/>.</summary>
    public PortfolioLossKind Loss { get; init; } = PortfolioLossKind.NegativeSharpe;

    /// <summary>The seed of torch's generator and of batch sampling. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The most epochs per training run. The default value is 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Epochs without a better validation Sharpe before training stops. The default value is 6.</summary>
    public int Patience { get; init; } = 6;

    /// <summary>Consecutive periods per batch (the Sharpe of a batch is computed over them). The default value is 64.</summary>
    public int BatchPeriods { get; init; } = 64;

    /// <summary>Width of the hidden layers. The default value is 32.</summary>
    public int Hidden { get; init; } = 32;

    /// <summary>Adam's learning rate. The default value is 0.001.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's L2 weight decay. The default value is 1e-5.</summary>
    public double WeightDecay { get; init; } = 1e-5;

    /// <summary>Cost per unit of turnover in the training loss (a differentiable stand-in for the real costs). The default value is 0.001 (10 bps).</summary>
    public double CostRate { get; init; } = 0.001;

    /// <summary>
    /// Which cost the training loss charges. The default value is <see cref="TrainingCostKind.Linear"/>
    /// (<see cref="CostRate"/> × turnover); <see cref="TrainingCostKind.Pool"/> charges Core's cost model of
    /// <see cref="Evaluation"/> (<see cref="PoolCostLoss"/>).
    /// </summary>
    public TrainingCostKind Cost { get; init; } = TrainingCostKind.Linear;

    /// <summary>
    /// Option 1 for learning where not to trade: a turnover penalty of this multiple of the cost model's cost per unit
    /// of turnover (<see cref="TradeRestraint.CalibratedPenaltyRate"/>), subtracted from each period's net return in
    /// the loss only. 0 (the default) is none.
    /// </summary>
    public double TurnoverPenalty { get; init; }

    /// <summary>
    /// Option 2: the no-trade band inside the training loop. Each asset's move from the held weight is shrunk by this
    /// much (soft threshold, <see cref="TradeRestraint.ApplyBand"/>) before returns and costs are charged, so the loss
    /// sees the trades a band would place. Null (the default) is none.
    /// </summary>
    public float? NoTradeBand { get; init; }

    /// <summary>
    /// Option 3: the output is a tilt around 1/N shrunk toward it (<see cref="AllocatorNetwork.Tilt"/>), in (0, 1].
    /// The default value is 1 (no anchor).
    /// </summary>
    public float Tilt { get; init; } = 1f;

    /// <summary>
    /// What <see cref="Tilt"/> shrinks toward. The default value is <see cref="TiltAnchor.EqualWeight"/> (1/N);
    /// <see cref="TiltAnchor.MinVariance"/> needs a tilt below 1 and a realized or EWMA volatility feature.
    /// </summary>
    public TiltAnchor Anchor { get; init; } = TiltAnchor.EqualWeight;

    /// <summary>How validation (early stopping) judges the network: Core's backtester, real costs, a rebalancing policy. The default value is <see cref="EvaluationOptions.Default"/>.</summary>
    public EvaluationOptions Evaluation { get; init; } = EvaluationOptions.Default;

    /// <summary>λ of the mean-variance objective. The default value is 5.</summary>
    public double RiskAversion { get; init; } = 5;

    /// <summary>Standardized features are clipped to ±this value. The default value is 5.</summary>
    public float FeatureClip { get; init; } = 5f;

    /// <summary>
    /// The per-asset weight cap inside the EIIE network (after the softmax, raised to 1/available per row), or null for
    /// none. The default value is null. The MLP network does not support it.
    /// </summary>
    public float? MaxWeight { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(Patience, 1, nameof(Patience));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchPeriods, 2, nameof(BatchPeriods));
        ArgumentOutOfRangeException.ThrowIfLessThan(Hidden, 1, nameof(Hidden));
        WeightCap.Validate(MaxWeight, nameof(MaxWeight));
        AnchorTilt.Validate(Tilt, nameof(Tilt));
        if (!Enum.IsDefined(Anchor) || (Anchor == TiltAnchor.MinVariance && Tilt >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Anchor), Anchor, "Anchor must be EqualWeight or MinVariance, and MinVariance needs a Tilt below 1 (at 1 there is no anchor).");
        }
        if (!(TurnoverPenalty >= 0) || !double.IsFinite(TurnoverPenalty))
        {
            throw new ArgumentOutOfRangeException(nameof(TurnoverPenalty), TurnoverPenalty, "TurnoverPenalty must be a finite multiple ≥ 0.");
        }

        if (NoTradeBand is { } band && !(band > 0 && band < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(NoTradeBand), band, "NoTradeBand must be null or in (0, 1).");
        }

        if (TurnoverPenalty > 0 && Cost != TrainingCostKind.Pool)
        {
            throw new ArgumentOutOfRangeException(nameof(TurnoverPenalty), TurnoverPenalty, "TurnoverPenalty is calibrated to the cost model; it needs Cost = Pool.");
        }

        ArgumentNullException.ThrowIfNull(Evaluation, nameof(Evaluation));
        Evaluation.Validate();
        if (MaxWeight is not null && Model != AllocatorModelKind.Eiie)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWeight), $"MaxWeight applies to the Eiie network only, not {Model}.");
        }

        if (!(LearningRate > 0) || !(WeightDecay >= 0) || !(CostRate >= 0) || !(RiskAversion >= 0) || !(FeatureClip > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), "LearningRate and FeatureClip must be positive; WeightDecay, CostRate and RiskAversion non-negative.");
        }
    }
}
