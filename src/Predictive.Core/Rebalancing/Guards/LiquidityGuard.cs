using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Rebalancing.Guards;

/// <summary>Limits of <see cref="LiquidityGuard"/>.</summary>
public sealed record LiquidityGuardOptions
{
    /// <summary>The least liquidity (both reserves at reference prices) a pool may have. The default value is 1,000,000 quote units.</summary>
    [Range(typeof(decimal), "0", "1000000000000", ErrorMessage = "MinLiquidityQuote must be in [0, 1e12] quote units.")]
    public decimal MinLiquidityQuote { get; init; } = 1_000_000m;

    /// <summary>The largest fall from the window's peak liquidity, as a fraction. The default value is 0.5 (50 %).</summary>
    [Range(0.0, 1.0, ErrorMessage = "MaxDropFraction must be in [0, 1].")]
    public double MaxDropFraction { get; init; } = 0.5;

    /// <summary>The bars in the window, current bar included. The default value is 7.</summary>
    [Range(2, 10_000, ErrorMessage = "WindowBars must be in [2, 10000].")]
    public int WindowBars { get; init; } = 7;
}

/// <summary>
/// Liquidity drought: fires when a pool of a held or targeted asset is missing, holds less than
/// <see cref="LiquidityGuardOptions.MinLiquidityQuote"/>, or has fallen more than
/// <see cref="LiquidityGuardOptions.MaxDropFraction"/> below its peak over the window.
/// </summary>
public sealed class LiquidityGuard : ITradeGuard
{
    private readonly LiquidityGuardOptions _options;

    /// <summary>Creates the guard.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public LiquidityGuard(LiquidityGuardOptions? options = null)
    {
        _options = options ?? new LiquidityGuardOptions();
        OptionsValidation.ThrowIfInvalid(_options);
    }

    /// <inheritdoc />
    public string Name => "liquidity";

    /// <inheritdoc />
    public GuardResult Check(RebalanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var market = context.Market;
        var window = GuardAssets.Window(context, _options.WindowBars);
        GuardResult? worst = null;
        foreach (var asset in GuardAssets.Relevant(context))
        {
            if (!market.TryGetPool(asset, market.QuoteAsset, out var pool))
            {
                return new GuardResult(Name, true, $"no {asset}/{market.QuoteAsset} pool at {market.Time:O}.", asset, 0, (double)_options.MinLiquidityQuote);
            }

            var now = market.LiquidityQuote(pool);
            if (now < _options.MinLiquidityQuote)
            {
                return new GuardResult(Name, true, Say($"{pool.Id} liquidity {now:N0} is below the minimum {_options.MinLiquidityQuote:N0}."), asset, (double)now, (double)_options.MinLiquidityQuote);
            }

            var peak = now;
            foreach (var s in window)
            {
                if (s.TryGetPool(pool.Token0, pool.Token1, out var past))
                {
                    peak = Math.Max(peak, s.LiquidityQuote(past));
                }
            }

            var drop = peak > 0 ? (double)((peak - now) / peak) : 0;
            var result = new GuardResult(
                Name,
                drop > _options.MaxDropFraction,
                Say($"{pool.Id} liquidity {now:N0} is {drop:P1} below its {window.Count}-bar peak {peak:N0} (limit {_options.MaxDropFraction:P1})."),
                asset,
                drop,
                _options.MaxDropFraction);
            if (result.Fired)
            {
                return result;
            }

            if (worst is null || drop > worst.Value)
            {
                worst = result;
            }
        }

        return worst ?? new GuardResult(Name, false, "no pool to check.", null, double.NaN, _options.MaxDropFraction);
    }

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
