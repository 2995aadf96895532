namespace Predictive.Core.Features;

/// <summary>
/// Ledoit-Wolf shrinkage of a sample covariance matrix towards the constant-correlation target
/// (Ledoit &amp; Wolf, "Honey, I Shrunk the Sample Covariance Matrix", Journal of Portfolio Management, 2004).
/// </summary>
/// <remarks>
/// With T demeaned observations x and the sample covariance S = xᵀx / T (the paper's 1/T divisor):
/// r̄ is the mean sample correlation over pairs i ≠ j; the target is F (fᵢᵢ = sᵢᵢ, fᵢⱼ = r̄√(sᵢᵢsⱼⱼ));
/// π = Σᵢⱼ mean_t[(xᵢxⱼ − sᵢⱼ)²];
/// ρ = Σᵢ πᵢᵢ + Σᵢ≠ⱼ (r̄/2)(√(sⱼⱼ/sᵢᵢ) θᵢᵢ,ᵢⱼ + √(sᵢᵢ/sⱼⱼ) θⱼⱼ,ᵢⱼ) with θᵢᵢ,ᵢⱼ = mean_t[(xᵢ² − sᵢᵢ)(xᵢxⱼ − sᵢⱼ)];
/// γ = ‖F − S‖²_F; κ = (π − ρ)/γ; δ = max(0, min(1, κ/T)); the estimate is δF + (1 − δ)S.
/// </remarks>
public static class LedoitWolf
{
    /// <summary>Shrinks the covariance of <paramref name="returns"/> and writes it into <paramref name="covariance"/>.</summary>
    /// <param name="returns">Observations, row-major <c>[observation, asset]</c>, all finite.</param>
    /// <param name="observations">T, at least 2.</param>
    /// <param name="assets">N, at least 1.</param>
    /// <param name="covariance">Written: the N × N shrunk covariance, row-major.</param>
    /// <returns>The shrinkage intensity δ in [0, 1] (0 when there is nothing to shrink, as with one asset).</returns>
    /// <exception cref="ArgumentException">Shapes disagree or a value is not finite.</exception>
    public static double ShrinkToConstantCorrelation(ReadOnlySpan<double> returns, int observations, int assets, Span<double> covariance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(observations, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        int t = observations, n = assets;
        if (returns.Length != t * n)
        {
            throw new ArgumentException($"returns has {returns.Length} values; expected {t} observations × {n} assets.", nameof(returns));
        }

        if (covariance.Length != n * n)
        {
            throw new ArgumentException($"covariance has {covariance.Length} values; expected {n}×{n}.", nameof(covariance));
        }

        var x = new double[t * n];
        for (var i = 0; i < n; i++)
        {
            var mean = 0.0;
            for (var k = 0; k < t; k++)
            {
                var v = returns[(k * n) + i];
                if (!double.IsFinite(v))
                {
                    throw new ArgumentException($"returns[{k}, {i}] is {v}; every value must be finite.", nameof(returns));
                }

                mean += v;
            }

            mean /= t;
            for (var k = 0; k < t; k++)
            {
                x[(k * n) + i] = returns[(k * n) + i] - mean;
            }
        }

        var s = new double[n * n];
        for (var k = 0; k < t; k++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var j = i; j < n; j++)
                {
                    s[(i * n) + j] += x[(k * n) + i] * x[(k * n) + j];
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = i; j < n; j++)
            {
                s[(i * n) + j] /= t;
                s[(j * n) + i] = s[(i * n) + j];
            }
        }

        var sd = new double[n];
        for (var i = 0; i < n; i++)
        {
            sd[i] = Math.Sqrt(s[(i * n) + i]);
        }

        // r̄ over pairs whose variances are positive; a constant asset has no correlation to average.
        var rSum = 0.0;
        var pairs = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                if (sd[i] > 0 && sd[j] > 0)
                {
                    rSum += s[(i * n) + j] / (sd[i] * sd[j]);
                    pairs++;
                }
            }
        }

        var rBar = pairs > 0 ? rSum / pairs : 0;
        var target = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                target[(i * n) + j] = i == j ? s[(i * n) + i] : rBar * sd[i] * sd[j];
            }
        }

        var delta = Intensity(x, s, target, sd, rBar, t, n);
        for (var k = 0; k < n * n; k++)
        {
            covariance[k] = (delta * target[k]) + ((1 - delta) * s[k]);
        }

        return delta;
    }

    private static double Intensity(double[] x, double[] s, double[] target, double[] sd, double rBar, int t, int n)
    {
        var gamma = 0.0;
        for (var k = 0; k < n * n; k++)
        {
            gamma += (target[k] - s[k]) * (target[k] - s[k]);
        }

        if (!(gamma > 0))
        {
            return 0;
        }

        // Each unordered pair is one pass over the observations: π_ij = π_ji and θ_i,ij = θ_i,ji bit for bit (the
        // products commute and s is symmetric), so the sums below read them back in the original order.
        var columns = new double[n * t];
        for (var k = 0; k < t; k++)
        {
            for (var i = 0; i < n; i++)
            {
                columns[(i * t) + k] = x[(k * n) + i];
            }
        }

        var piPair = new double[n * n];
        var theta = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            var ci = columns.AsSpan(i * t, t);
            var sii = s[(i * n) + i];
            for (var j = i; j < n; j++)
            {
                var cj = columns.AsSpan(j * t, t);
                double piIj = 0, thetaI = 0, thetaJ = 0;
                var sij = s[(i * n) + j];
                var sjj = s[(j * n) + j];
                for (var k = 0; k < t; k++)
                {
                    var xi = ci[k];
                    var xj = cj[k];
                    var dev = (xi * xj) - sij;
                    piIj += dev * dev;
                    thetaI += ((xi * xi) - sii) * dev;
                    thetaJ += ((xj * xj) - sjj) * dev;
                }

                piPair[(i * n) + j] = piPair[(j * n) + i] = piIj / t;
                theta[(i * n) + j] = thetaI;
                theta[(j * n) + i] = thetaJ;
            }
        }

        var pi = 0.0;
        var rho = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var piIj = piPair[(i * n) + j];
                pi += piIj;
                if (i == j)
                {
                    rho += piIj;
                }
                else if (sd[i] > 0 && sd[j] > 0)
                {
                    rho += rBar / 2 * ((sd[j] / sd[i] * theta[(i * n) + j] / t) + (sd[i] / sd[j] * theta[(j * n) + i] / t));
                }
            }
        }

        var kappa = (pi - rho) / gamma;
        return Math.Clamp(kappa / t, 0, 1);
    }
}
