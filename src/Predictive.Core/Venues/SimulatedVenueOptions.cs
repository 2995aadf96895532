using System.ComponentModel.DataAnnotations;

namespace Predictive.Core.Venues;

/// <summary>How the simulated venue sizes its pools.</summary>
public enum PoolDepthMode
{
    /// <summary>Every pool's quote reserve is <see cref="SimulatedVenueOptions.FixedDepthQuote"/>.</summary>
    Fixed = 0,

    /// <summary>A pool's quote reserve is <see cref="SimulatedVenueOptions.DepthVolumeMultiple"/> × the rolling mean dollar volume.</summary>
    FromVolume = 1,
}

/// <summary>Parameters of <see cref="SimulatedVenue"/>.</summary>
public sealed record SimulatedVenueOptions
{
    /// <summary>The quote asset every pool trades against. The default value is <c>USDC</c>.</summary>
    [Required(ErrorMessage = "QuoteAsset is required (for example USDC).")]
    public string QuoteAsset { get; init; } = "USDC";

    /// <summary>How pools are sized. The default value is <see cref="PoolDepthMode.Fixed"/>.</summary>
    public PoolDepthMode DepthMode { get; init; } = PoolDepthMode.Fixed;

    /// <summary>
    /// The quote reserve of every pool in <see cref="PoolDepthMode.Fixed"/> mode. The default value is 50,000,000
    /// (pool liquidity of 100 M, the scale of the largest Uniswap V2 pools).
    /// </summary>
    [Range(typeof(decimal), "1", "1000000000000", ErrorMessage = "FixedDepthQuote must be in [1, 1e12] quote units.")]
    public decimal FixedDepthQuote { get; init; } = 50_000_000m;

    /// <summary>
    /// k in depth = k × rolling mean dollar volume per bar (<see cref="PoolDepthMode.FromVolume"/>). The default value
    /// is 0.01: the panel volumes are aggregate volumes over all exchanges (ETH trades 10–20 billion a day), and 1 % of
    /// that is a quote reserve of the order of the largest V2 pools.
    /// </summary>
    [Range(1e-6, 100.0, ErrorMessage = "DepthVolumeMultiple must be in [1e-6, 100].")]
    public double DepthVolumeMultiple { get; init; } = 0.01;

    /// <summary>The bars in the rolling volume mean. The default value is 30.</summary>
    [Range(1, 10_000, ErrorMessage = "VolumeWindowBars must be in [1, 10000].")]
    public int VolumeWindowBars { get; init; } = 30;

    /// <summary>The smallest quote reserve a volume-derived pool gets (so a zero-volume bar does not empty it). The default value is 10,000.</summary>
    [Range(typeof(decimal), "1", "1000000000000", ErrorMessage = "MinDepthQuote must be in [1, 1e12] quote units.")]
    public decimal MinDepthQuote { get; init; } = 10_000m;

    /// <summary>
    /// Direct asset/asset pools besides the asset/quote pools, as <c>"A/B"</c>. A direct pool's depth (in quote value
    /// per side) is the smaller of the two assets' depths. The default value is none.
    /// </summary>
    public IReadOnlyList<string> DirectPairs { get; init; } = [];

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        Rebalancing.Costs.OptionsValidation.ThrowIfInvalid(this);
        foreach (var pair in DirectPairs)
        {
            var parts = pair?.Split('/') ?? [];
            if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace) || parts[0] == parts[1])
            {
                throw new ArgumentException($"DirectPairs entry '{pair}' must be two different symbols as A/B.", nameof(DirectPairs));
            }
        }
    }
}
