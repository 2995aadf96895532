namespace Predictive.Core.Rebalancing;

/// <summary>Why a policy did or did not trade.</summary>
public enum DecisionReason
{
    /// <summary>The portfolio already holds its target: nothing to do.</summary>
    AlreadyOnTarget = 0,

    /// <summary>Calendar policy: this bar is not a rebalancing date.</summary>
    NotScheduled = 1,

    /// <summary>Calendar policy: a rebalancing date.</summary>
    Scheduled = 2,

    /// <summary>Band policy: drift is inside the band.</summary>
    WithinBand = 3,

    /// <summary>Band policy: drift is outside the band.</summary>
    OutsideBand = 4,

    /// <summary>Cost-aware policy: no move has a benefit above its cost.</summary>
    CostExceedsBenefit = 5,

    /// <summary>Cost-aware policy: the chosen move's benefit exceeds its cost.</summary>
    BenefitExceedsCost = 6,

    /// <summary>Full-rebalance policy: always trades to target.</summary>
    Unconditional = 7,

    /// <summary>A guard fired; the trade the policy wanted was blocked.</summary>
    GuardFired = 8,
}
