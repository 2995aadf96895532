namespace Predictive.Research.Statistics;

/// <summary>The standard normal distribution: density, CDF (accurate to ~1e-15) and its inverse.</summary>
public static class Normal
{
    private const double InvSqrt2Pi = 0.39894228040143267794;

    /// <summary>φ(x).</summary>
    public static double Pdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    /// <summary>Φ(x) = P(Z ≤ x).</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (Math.Abs(x) <= 3)
        {
            // Φ(x) = ½ + φ(x)·Σ x^(2k+1) / (1·3·…·(2k+1)); converges quickly for moderate |x|.
            double term = x, sum = x, x2 = x * x;
            for (var k = 1; k < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); k++)
            {
                term *= x2 / ((2 * k) + 1);
                sum += term;
            }

            return 0.5 + (Pdf(x) * sum);
        }

        // Tails: the upper tail is φ(x)·R(x) with Mills' ratio R as the continued fraction 1/(x+1/(x+2/(x+3/(x+…)))).
        var z = Math.Abs(x);
        var cf = z;
        for (var k = 60; k >= 1; k--)
        {
            cf = z + (k / cf);
        }

        var tail = Pdf(z) / cf;
        return x > 0 ? 1 - tail : tail;
    }

    /// <summary>Φ⁻¹(p), for p in (0, 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">p is outside (0, 1).</exception>
    public static double InverseCdf(double p)
    {
        if (!(p is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "a probability strictly between 0 and 1 is required.");
        }

        // A rational start (Acklam's central region / tail forms) polished by Newton steps on the accurate CDF.
        double x;
        if (p is > 0.02425 and < 0.97575)
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((-39.69683028665376 * r) + 220.9460984245205) * r - 275.9285104469687) * r + 138.3577518672690) * r - 30.66479806614716) * r + 2.506628277459239;
            x = x * q / (((((((-54.47609879822406 * r) + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r - 13.28068155288572) * r) + 1);
        }
        else
        {
            var q = Math.Sqrt(-2 * Math.Log(p < 0.5 ? p : 1 - p));
            x = (((((-0.007784894002430293 * q) - 0.3223964580411365) * q - 2.400758277161838) * q - 2.549732539343734) * q + 4.374664141464968) * q + 2.938163982698783;
            x /= ((((0.007784695709041462 * q) + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1;
            x = p < 0.5 ? x : -x;
        }

        for (var i = 0; i < 3; i++)
        {
            var pdf = Pdf(x);
            if (pdf <= 0)
            {
                break;
            }

            x -= (Cdf(x) - p) / pdf;
        }

        return x;
    }
}
