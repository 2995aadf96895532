using System.ComponentModel.DataAnnotations;
using Predictive.Core.Allocation;
using Predictive.Core.Numerics;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Rebalancing;

/// <summary>
/// Converts a reduction in tracking error into money. Holding w instead of the target w* costs, in certainty-equivalent
/// terms, (λ/2)·TE²·V per bar, TE = √((w − w*)ᵀΣ(w − w*)) per bar; over a horizon of H bars the benefit of moving from
/// w to w′ is (λ/2)·(TE(w)² − TE(w′)²)·H·V, with λ = <see cref="RiskAversion"/> and H = <see cref="HorizonBars"/>.
/// </summary>
/// <remarks>
/// λ is the mean-variance risk aversion (a CRRA investor's relative risk aversion; 1–10 is the usual range).
/// H says for how long a correction is expected to last before drift undoes it; roughly the typical time between trades.
/// </remarks>
public sealed record TrackingErrorBenefit
{
    /// <summary>The defaults.</summary>
    public static TrackingErrorBenefit Default { get; } = new();

    /// <summary>λ, the risk-aversion coefficient. The default value is 2.</summary>
    [Range(0.0, 1_000.0, ErrorMessage = "RiskAversion must be in [0, 1000].")]
    public double RiskAversion { get; init; } = 2;

    /// <summary>H, the horizon in bars over which a tracking-error reduction is counted. The default value is 30.</summary>
    [Range(1, 100_000, ErrorMessage = "HorizonBars must be in [1, 100000].")]
    public int HorizonBars { get; init; } = 30;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate() => OptionsValidation.ThrowIfInvalid(this);

    /// <summary>The money value of moving from <paramref name="from"/> to <paramref name="to"/>, in quote units.</summary>
    public decimal Benefit(RiskEstimate risk, ReadOnlySpan<double> from, ReadOnlySpan<double> to, ReadOnlySpan<double> target, decimal portfolioValueQuote)
    {
        ArgumentNullException.ThrowIfNull(risk);
        var te0 = TrackingError(risk, from, target);
        var te1 = TrackingError(risk, to, target);
        var perUnit = RiskAversion / 2 * ((te0 * te0) - (te1 * te1)) * HorizonBars;
        return (decimal)perUnit * portfolioValueQuote;
    }

    /// <summary>√((w − w*)ᵀΣ(w − w*)) per bar; entries of Σ that are NaN (assets without an estimate) count as 0.</summary>
    public static double TrackingError(RiskEstimate risk, ReadOnlySpan<double> weights, ReadOnlySpan<double> target)
    {
        ArgumentNullException.ThrowIfNull(risk);
        var n = weights.Length;
        if (risk.AssetCount != n || target.Length != n)
        {
            throw new ArgumentException($"The risk model covers {risk.AssetCount} assets; the weights have {n} and the target {target.Length}.", nameof(risk));
        }

        var d = new double[n];
        for (var i = 0; i < n; i++)
        {
            d[i] = weights[i] - target[i];
        }

        var cov = risk.Covariance.ToArray();
        for (var k = 0; k < cov.Length; k++)
        {
            if (!double.IsFinite(cov[k]))
            {
                cov[k] = 0;
            }
        }

        return Math.Sqrt(Math.Max(0, DenseMatrix.QuadraticForm(cov, d)));
    }
}
