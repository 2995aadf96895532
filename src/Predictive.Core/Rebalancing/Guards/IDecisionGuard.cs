namespace Predictive.Core.Rebalancing.Guards;

/// <summary>
/// A guard that also looks at the policy's decision (its candidate move, estimated cost and benefit), not only at the
/// market: <see cref="Policies.GuardedPolicy"/> hands it the inner policy's decision. On a pending plan's due slices,
/// where there is no new decision, it is asked through <see cref="ITradeGuard.Check"/>.
/// </summary>
public interface IDecisionGuard : ITradeGuard
{
    /// <summary>Checks <paramref name="decision"/>, made in <paramref name="context"/>.</summary>
    GuardResult Check(RebalanceContext context, RebalanceDecision decision);
}
