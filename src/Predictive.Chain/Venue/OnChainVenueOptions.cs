using System.ComponentModel.DataAnnotations;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Chain.Venue;

/// <summary>How the on-chain venue quotes and sends swaps. Pricing (pool fee, gas units per quoted swap, slippage, native
/// token) is Core's <see cref="SwapCostOptions"/>, the same the planner and the simulated venue use.</summary>
public sealed record OnChainVenueOptions
{
    /// <summary>The cost model's options: <see cref="SwapCostOptions.PoolFeeBps"/> (Uniswap V2: 30), <see cref="SwapCostOptions.SlippageBps"/>
    /// (tolerance below the fresh pool quote accepted as minimum output), <see cref="SwapCostOptions.GasUnitsPerSwap"/> (assumed in
    /// quotes; executions report the gas used), <see cref="SwapCostOptions.NativeTokenSymbol"/> (the asset whose pool prices gas) and
    /// <see cref="SwapCostOptions.NativeTokenPriceQuote"/> (used when no pool prices it). Defaults: Core's.</summary>
    public SwapCostOptions Costs { get; init; } = SwapCostOptions.Default;

    /// <summary>How long after the latest block's timestamp a swap may still execute. The default value is 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Simulate only: every swap is an eth_call and an eth_estimateGas; nothing is signed or sent.</summary>
    public bool DryRun { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid on-chain venue options: " + string.Join("; ", results.Select(r => r.ErrorMessage)));
        }

        ArgumentNullException.ThrowIfNull(Costs);
        Costs.Validate();
    }
}
