using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Planning;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>The options of the one composition, the same objects for a backtest and a live keeper.</summary>
public sealed record RebalancePipelineOptions
{
    /// <summary>The rebalancing policy. The default value is the cost-aware band.</summary>
    public PolicySpec Policy { get; init; } = PolicySpec.CostAware();

    /// <summary>Guards run before every trade: each new decision and each due TWAP slice. The default value is none.</summary>
    public IReadOnlyList<ITradeGuard> Guards { get; init; } = [];

    /// <summary>Fees, gas units and slippage. The default value is <see cref="SwapCostOptions.Default"/>.</summary>
    public SwapCostOptions Costs { get; init; } = SwapCostOptions.Default;

    /// <summary>The planner's limits (impact per swap, TWAP slices, minimum trade). The default value is the defaults.</summary>
    public TradePlannerOptions Planner { get; init; } = new();

    /// <summary>The benefit model the cost-aware policy trades tracking error against. The default value is <see cref="TrackingErrorBenefit.Default"/>.</summary>
    public TrackingErrorBenefit Benefit { get; init; } = TrackingErrorBenefit.Default;

    /// <summary>Throws when an option is missing or out of range.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Policy);
        ArgumentNullException.ThrowIfNull(Guards);
        ArgumentNullException.ThrowIfNull(Costs);
        ArgumentNullException.ThrowIfNull(Planner);
        ArgumentNullException.ThrowIfNull(Benefit);
        Costs.Validate();
        OptionsValidation.ThrowIfInvalid(Planner);
        Benefit.Validate();
    }
}
