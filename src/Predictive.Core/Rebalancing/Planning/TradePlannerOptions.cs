using System.ComponentModel.DataAnnotations;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>Limits of <see cref="TradePlanner"/>.</summary>
public sealed record TradePlannerOptions
{
    /// <summary>The smallest swap worth placing, in quote units; smaller legs are left undone. The default value is 50.</summary>
    [Range(typeof(decimal), "0", "1000000000", ErrorMessage = "MinTradeQuote must be in [0, 1e9] quote units.")]
    public decimal MinTradeQuote { get; init; } = 50m;

    /// <summary>
    /// The largest price impact one swap may have, in basis points; a larger order is split into equal TWAP slices,
    /// one per bar. The default value is 50 (0.5 %).
    /// </summary>
    [Range(0.01, 5_000.0, ErrorMessage = "MaxPriceImpactBps must be in [0.01, 5000] basis points.")]
    public double MaxPriceImpactBps { get; init; } = 50;

    /// <summary>The most slices (bars) one order may be split into; the rest of a larger order is dropped. The default value is 24.</summary>
    [Range(1, 10_000, ErrorMessage = "MaxSlices must be in [1, 10000].")]
    public int MaxSlices { get; init; } = 24;

    /// <summary>Use a direct asset/asset pool, where one exists, instead of two swaps through the quote asset. The default value is true.</summary>
    public bool UseDirectPools { get; init; } = true;
}
