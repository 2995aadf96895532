namespace Predictive.Core.Rebalancing.Policies;

/// <summary>Trades to the target every <see cref="EveryBars"/> bars (bars where (bar − offset) mod k = 0), never in between.</summary>
public sealed class CalendarPolicy : IRebalancingPolicy
{
    private readonly RebalanceEconomics _economics;

    /// <summary>Creates the policy.</summary>
    /// <param name="economics">Cost and benefit reported with each decision.</param>
    /// <param name="everyBars">k ≥ 1 (for example 7 for weekly on daily bars).</param>
    /// <param name="offsetBars">The first rebalancing bar, in [0, k).</param>
    public CalendarPolicy(RebalanceEconomics economics, int everyBars, int offsetBars = 0)
    {
        ArgumentNullException.ThrowIfNull(economics);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyBars, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(offsetBars);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offsetBars, everyBars);
        _economics = economics;
        EveryBars = everyBars;
        OffsetBars = offsetBars;
    }

    /// <summary>k, the bars between rebalances.</summary>
    public int EveryBars { get; }

    /// <summary>The phase of the schedule.</summary>
    public int OffsetBars { get; }

    /// <inheritdoc />
    public string Name => $"calendar-{EveryBars}";

    /// <inheritdoc />
    public RebalanceDecision Decide(RebalanceContext context)
    {
        if (PolicyMath.SettleOnTarget(_economics, context, Name, out var drift) is { } settled)
        {
            return settled;
        }

        var due = ((context.Bar - OffsetBars) % EveryBars + EveryBars) % EveryBars == 0;
        return due
            ? _economics.Decide(context, Name, true, DecisionReason.Scheduled, context.TargetWeights, drift, PolicyMath.Say($"bar {context.Bar} is a rebalancing date (every {EveryBars}); L1 drift {drift.L1:P2}."))
            : _economics.Decide(context, Name, false, DecisionReason.NotScheduled, context.TargetWeights, drift, PolicyMath.Say($"bar {context.Bar} is not a rebalancing date (every {EveryBars}, offset {OffsetBars}); L1 drift {drift.L1:P2}."));
    }
}
