using Predictive.Core.Rebalancing.Guards;

namespace Predictive.Core.Rebalancing.Policies;

/// <summary>
/// Runs guards around another policy: every decision carries every guard's result, and when any guard fires a
/// trade the inner policy wanted is blocked (reason <see cref="DecisionReason.GuardFired"/>, the guard named).
/// </summary>
public sealed class GuardedPolicy : IRebalancingPolicy
{
    private readonly IRebalancingPolicy _inner;
    private readonly IReadOnlyList<ITradeGuard> _guards;

    /// <summary>Wraps <paramref name="inner"/> with <paramref name="guards"/>.</summary>
    public GuardedPolicy(IRebalancingPolicy inner, IReadOnlyList<ITradeGuard> guards)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(guards);
        _inner = inner;
        _guards = [.. guards];
    }

    /// <inheritdoc />
    public string Name => _inner.Name;

    /// <inheritdoc />
    public RebalanceDecision Decide(RebalanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var decision = _inner.Decide(context);
        var results = _guards.Select(g => g is IDecisionGuard d ? d.Check(context, decision) : g.Check(context)).ToArray();
        var fired = results.Where(r => r.Fired).ToArray();
        if (fired.Length == 0 || !decision.Trade)
        {
            return decision with { Guards = results };
        }

        var names = string.Join("; ", fired.Select(f => $"{f.Guard}: {f.Detail}"));
        return decision with
        {
            Trade = false,
            Reason = DecisionReason.GuardFired,
            Explanation = $"blocked by guard ({names}) — the policy wanted to trade: {decision.Explanation}",
            Guards = results,
        };
    }
}
