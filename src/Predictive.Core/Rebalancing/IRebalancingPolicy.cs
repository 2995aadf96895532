namespace Predictive.Core.Rebalancing;

/// <summary>
/// Decides at each bar whether to trade towards the target and how far: (current, target, risk, costs) → decision with reasons.
/// Implementations are stateless, so a backtest and the live service can share one instance.
/// </summary>
public interface IRebalancingPolicy
{
    /// <summary>The policy's stable name, used in reports.</summary>
    string Name { get; }

    /// <summary>Decides for one bar.</summary>
    /// <exception cref="ArgumentException">The context is inconsistent (shapes, missing risk model where needed).</exception>
    RebalanceDecision Decide(RebalanceContext context);
}
