using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>One swap of a plan (possibly one TWAP slice of a larger order).</summary>
/// <param name="Order">What to send to the venue (the minimum output follows the slippage tolerance).</param>
/// <param name="PoolId">The pool it goes through.</param>
/// <param name="BarOffset">The bar to execute it at, counted from the plan's bar (0 = now).</param>
/// <param name="Slice">The slice's index, 0-based.</param>
/// <param name="SliceCount">How many slices the order was split into.</param>
/// <param name="Estimate">Output and costs as estimated on the snapshot the plan was made from.</param>
public sealed record PlannedSwap(SwapOrder Order, string PoolId, int BarOffset, int Slice, int SliceCount, SwapCostEstimate Estimate);
