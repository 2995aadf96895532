using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Rebalancing.Guards;

/// <summary>Limits of <see cref="PriceDeviationGuard"/>.</summary>
public sealed record PriceDeviationGuardOptions
{
    /// <summary>The largest |pool price / reference price − 1|, in basis points. The default value is 200 (2 %).</summary>
    [Range(0.0, 10_000.0, ErrorMessage = "ToleranceBps must be in [0, 10000] basis points.")]
    public double ToleranceBps { get; init; } = 200;
}

/// <summary>
/// Manipulation: fires when a pool's mid price of a held or targeted asset deviates from the reference (oracle) price
/// by more than <see cref="PriceDeviationGuardOptions.ToleranceBps"/>, or when either price is missing.
/// </summary>
public sealed class PriceDeviationGuard : ITradeGuard
{
    private readonly PriceDeviationGuardOptions _options;

    /// <summary>Creates the guard.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public PriceDeviationGuard(PriceDeviationGuardOptions? options = null)
    {
        _options = options ?? new PriceDeviationGuardOptions();
        OptionsValidation.ThrowIfInvalid(_options);
    }

    /// <inheritdoc />
    public string Name => "price-deviation";

    /// <inheritdoc />
    public GuardResult Check(RebalanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var market = context.Market;
        GuardResult? worst = null;
        foreach (var asset in GuardAssets.Relevant(context))
        {
            if (!market.HasPrice(asset) || !market.TryGetPoolPrice(asset, out var poolPrice))
            {
                return new GuardResult(Name, true, $"no pool or reference price for {asset} at {market.Time:O}.", asset, double.NaN, _options.ToleranceBps);
            }

            var reference = market.ReferencePrice(asset);
            var bps = Math.Abs((poolPrice / reference) - 1) * 10_000;
            var result = new GuardResult(
                Name,
                bps > _options.ToleranceBps,
                string.Create(CultureInfo.InvariantCulture, $"{asset} pool price {poolPrice:G6} vs reference {reference:G6}: {bps:F1} bps (tolerance {_options.ToleranceBps:F1})."),
                asset,
                bps,
                _options.ToleranceBps);
            if (result.Fired)
            {
                return result;
            }

            if (worst is null || bps > worst.Value)
            {
                worst = result;
            }
        }

        return worst ?? new GuardResult(Name, false, "no asset to check.", null, double.NaN, _options.ToleranceBps);
    }
}
