namespace Predictive.Chain.Oracle;

/// <summary>
/// The slippage budget <c>chain up</c> deploys, in basis points. An honest swap's minimum output sits below the oracle
/// quote by at most the pool fee, the planner's largest price impact, the keeper's own slippage allowance and the gap
/// between pool and feed that the price-deviation guard tolerates; the vault's floor must cover their sum and nothing
/// more, so that a pool pushed further from the feed than that cannot be traded into.
/// </summary>
public static class SlippageBudget
{
    /// <summary>Uniswap V2's fee.</summary>
    public const int PoolFeeBps = 30;

    /// <summary>The planner's largest price impact of one slice (<c>TradePlannerOptions.MaxPriceImpactBps</c> in <c>rebalance</c>).</summary>
    public const int PlannerMaxPriceImpactBps = 100;

    /// <summary>The keeper's slippage allowance below its fresh quote (<c>rebalance --slippage-bps</c> default).</summary>
    public const int KeeperSlippageBps = 50;

    /// <summary>The price-deviation guard's tolerance between pool and reference price (<c>PriceDeviationGuardOptions.ToleranceBps</c> default).</summary>
    public const int DeviationToleranceBps = 200;

    /// <summary>The vault's <c>maxSlippageBps</c>: the sum above (380) rounded up to 400.</summary>
    public const int VaultMaxSlippageBps = 400;
}
