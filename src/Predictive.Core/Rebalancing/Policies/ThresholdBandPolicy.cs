using System.ComponentModel.DataAnnotations;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Rebalancing.Policies;

/// <summary>How drift is held against the band.</summary>
public enum BandNorm
{
    /// <summary>Trade when any asset's |wᵢ − w*ᵢ| exceeds the band.</summary>
    PerAsset = 0,

    /// <summary>Trade when Σ|wᵢ − w*ᵢ| exceeds the band.</summary>
    L1 = 1,
}

/// <summary>Parameters of <see cref="ThresholdBandPolicy"/>.</summary>
public sealed record ThresholdBandOptions
{
    /// <summary>How drift is measured. The default value is <see cref="BandNorm.PerAsset"/>.</summary>
    public BandNorm Norm { get; init; } = BandNorm.PerAsset;

    /// <summary>The band half-width as a weight fraction. The default value is 0.05 (5 percentage points).</summary>
    [Range(1e-6, 2.0, ErrorMessage = "Band must be in [1e-6, 2] (a weight fraction; L1 drift is at most 2).")]
    public double Band { get; init; } = 0.05;

    /// <summary>Trade only back to the band's edge instead of to the target. The default value is false.</summary>
    public bool MoveToBandEdge { get; init; }
}

/// <summary>
/// Fixed threshold band: no trade while drift is inside the band; outside it, trade to the target (or, with
/// <see cref="ThresholdBandOptions.MoveToBandEdge"/>, to w* + α(w − w*) with α = band / drift, the band's edge on
/// the line to the target, which keeps weights summing to 1).
/// </summary>
public sealed class ThresholdBandPolicy : IRebalancingPolicy
{
    private readonly RebalanceEconomics _economics;
    private readonly ThresholdBandOptions _options;

    /// <summary>Creates the policy.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ThresholdBandPolicy(RebalanceEconomics economics, ThresholdBandOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(economics);
        _economics = economics;
        _options = options ?? new ThresholdBandOptions();
        OptionsValidation.ThrowIfInvalid(_options);
    }

    /// <inheritdoc />
    public string Name => _options.Norm == BandNorm.L1 ? "band-l1" : "band";

    /// <inheritdoc />
    public RebalanceDecision Decide(RebalanceContext context)
    {
        if (PolicyMath.SettleOnTarget(_economics, context, Name, out var drift) is { } settled)
        {
            return settled;
        }

        var measured = _options.Norm == BandNorm.L1 ? drift.L1 : drift.MaxAbs;
        var what = _options.Norm == BandNorm.L1 ? "L1 drift" : $"largest drift ({drift.MaxAsset})";
        if (measured <= _options.Band)
        {
            return _economics.Decide(context, Name, false, DecisionReason.WithinBand, context.TargetWeights, drift, PolicyMath.Say($"{what} {measured:P2} is inside the band {_options.Band:P2}."));
        }

        var candidate = _options.MoveToBandEdge
            ? PolicyMath.Between(context.TargetWeights, context.CurrentWeights, _options.Band / measured)
            : context.TargetWeights;
        var to = _options.MoveToBandEdge ? "the band's edge" : "the target";
        return _economics.Decide(context, Name, true, DecisionReason.OutsideBand, candidate, drift, PolicyMath.Say($"{what} {measured:P2} is outside the band {_options.Band:P2}: trade to {to}."));
    }
}
