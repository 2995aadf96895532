using System.ComponentModel.DataAnnotations;

namespace Predictive.Chain.Venue;

/// <summary>How the on-chain venue quotes and sends swaps.</summary>
public sealed record OnChainVenueOptions
{
    /// <summary>Tolerance below the fresh pool quote accepted as minimum output, in basis points. The default value is 50.</summary>
    [Range(0, 10_000)]
    public int SlippageBps { get; init; } = 50;

    /// <summary>How long after the latest block's timestamp a swap may still execute. The default value is 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Uniswap V2's pool fee, in basis points. The default value is 30.</summary>
    [Range(0, 10_000)]
    public int PoolFeeBps { get; init; } = 30;

    /// <summary>Gas units assumed in quotes (executions report the gas actually used). The default value is 130,000.</summary>
    [Range(21_000, 30_000_000)]
    public long GasUnitsPerSwap { get; init; } = 130_000;

    /// <summary>The asset whose pool price values gas (the chain's native token); when absent, <see cref="NativeTokenPriceQuote"/>. The default value is "ETH".</summary>
    public string NativeSymbol { get; init; } = "ETH";

    /// <summary>The native token's price in quote units when no pool prices it. The default value is 2,000.</summary>
    [Range(0.0, 1e9)]
    public double NativeTokenPriceQuote { get; init; } = 2_000;

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
    }
}
