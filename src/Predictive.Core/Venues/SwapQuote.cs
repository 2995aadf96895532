using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Venues;

/// <summary>What a swap would return now, and its cost parts.</summary>
/// <param name="Order">The order quoted.</param>
/// <param name="PoolId">The pool that would fill it.</param>
/// <param name="Time">When the quote was taken.</param>
/// <param name="Cost">Output, minimum output, fee, impact and gas.</param>
public sealed record SwapQuote(SwapOrder Order, string PoolId, DateTimeOffset Time, SwapCostEstimate Cost);
