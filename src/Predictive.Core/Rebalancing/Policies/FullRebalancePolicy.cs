namespace Predictive.Core.Rebalancing.Policies;

/// <summary>Trades all the way to the target at every bar (the baseline every other policy is compared with).</summary>
public sealed class FullRebalancePolicy : IRebalancingPolicy
{
    private readonly RebalanceEconomics _economics;

    /// <summary>Creates the policy; <paramref name="economics"/> supplies the cost and benefit reported with each decision.</summary>
    public FullRebalancePolicy(RebalanceEconomics economics)
    {
        ArgumentNullException.ThrowIfNull(economics);
        _economics = economics;
    }

    /// <inheritdoc />
    public string Name => "full";

    /// <inheritdoc />
    public RebalanceDecision Decide(RebalanceContext context)
    {
        if (PolicyMath.SettleOnTarget(_economics, context, Name, out var drift) is { } settled)
        {
            return settled;
        }

        return _economics.Decide(context, Name, true, DecisionReason.Unconditional, context.TargetWeights, drift, PolicyMath.Say($"full rebalance: L1 drift {drift.L1:P2}."));
    }
}
