using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Rebalancing.Guards;

/// <summary>Limits of <see cref="VolatilityCircuitBreaker"/>.</summary>
public sealed record VolatilityCircuitBreakerOptions
{
    /// <summary>The bars of reference prices in the window, current bar included. The default value is 8 (7 returns).</summary>
    [Range(3, 10_000, ErrorMessage = "WindowBars must be in [3, 10000].")]
    public int WindowBars { get; init; } = 8;

    /// <summary>The annualized realized volatility above which trading stops. The default value is 2.5 (250 %).</summary>
    [Range(0.0, 100.0, ErrorMessage = "MaxAnnualizedVolatility must be in [0, 100].")]
    public double MaxAnnualizedVolatility { get; init; } = 2.5;

    /// <summary>Bars per year, to annualize (365 for daily crypto bars, 8760 for hourly). The default value is 365.</summary>
    [Range(1.0, 1e7, ErrorMessage = "BarsPerYear must be in [1, 1e7].")]
    public double BarsPerYear { get; init; } = 365;
}

/// <summary>
/// Flash crash: fires when the realized volatility of a held or targeted asset's reference price over the window,
/// √(mean r²·BarsPerYear) with r the one-bar log returns (not demeaned, so a one-way crash counts in full),
/// exceeds <see cref="VolatilityCircuitBreakerOptions.MaxAnnualizedVolatility"/>.
/// </summary>
public sealed class VolatilityCircuitBreaker : ITradeGuard
{
    private readonly VolatilityCircuitBreakerOptions _options;

    /// <summary>Creates the guard.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public VolatilityCircuitBreaker(VolatilityCircuitBreakerOptions? options = null)
    {
        _options = options ?? new VolatilityCircuitBreakerOptions();
        OptionsValidation.ThrowIfInvalid(_options);
    }

    /// <inheritdoc />
    public string Name => "volatility";

    /// <inheritdoc />
    public GuardResult Check(RebalanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var window = GuardAssets.Window(context, _options.WindowBars);
        GuardResult? worst = null;
        foreach (var asset in GuardAssets.Relevant(context))
        {
            double sum = 0;
            var count = 0;
            for (var k = 1; k < window.Count; k++)
            {
                if (window[k - 1].ReferencePrices.TryGetValue(asset, out var p0) && window[k].ReferencePrices.TryGetValue(asset, out var p1))
                {
                    var r = Math.Log(p1 / p0);
                    sum += r * r;
                    count++;
                }
            }

            if (count == 0)
            {
                continue;
            }

            var vol = Math.Sqrt(sum / count * _options.BarsPerYear);
            var result = new GuardResult(
                Name,
                vol > _options.MaxAnnualizedVolatility,
                string.Create(CultureInfo.InvariantCulture, $"{asset} realized volatility over {count} returns is {vol:P0} annualized (circuit breaker at {_options.MaxAnnualizedVolatility:P0})."),
                asset,
                vol,
                _options.MaxAnnualizedVolatility);
            if (result.Fired)
            {
                return result;
            }

            if (worst is null || vol > worst.Value)
            {
                worst = result;
            }
        }

        return worst ?? new GuardResult(Name, false, "not enough price history to measure volatility.", null, double.NaN, _options.MaxAnnualizedVolatility);
    }
}
