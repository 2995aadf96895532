namespace Predictive.Research.Statistics;

/// <summary>Moments and ratios of a return series (per-bar simple returns).</summary>
public static class ReturnStatistics
{
    /// <summary>The arithmetic mean (NaN when empty).</summary>
    public static double Mean(ReadOnlySpan<double> x)
    {
        if (x.Length == 0)
        {
            return double.NaN;
        }

        double s = 0;
        foreach (var v in x)
        {
            s += v;
        }

        return s / x.Length;
    }

    /// <summary>The sample standard deviation (n − 1 denominator; NaN below two values).</summary>
    public static double StdDev(ReadOnlySpan<double> x)
    {
        if (x.Length < 2)
        {
            return double.NaN;
        }

        var m = Mean(x);
        double s = 0;
        foreach (var v in x)
        {
            s += (v - m) * (v - m);
        }

        return Math.Sqrt(s / (x.Length - 1));
    }

    /// <summary>The sample skewness γ₃ = m₃ / m₂^{3/2} with population moments (as in Bailey and López de Prado).</summary>
    public static double Skewness(ReadOnlySpan<double> x)
    {
        var (m2, m3, _) = CentralMoments(x);
        return m2 <= 0 ? 0 : m3 / Math.Pow(m2, 1.5);
    }

    /// <summary>The (non-excess) kurtosis γ₄ = m₄ / m₂², 3 for a normal distribution.</summary>
    public static double Kurtosis(ReadOnlySpan<double> x)
    {
        var (m2, _, m4) = CentralMoments(x);
        return m2 <= 0 ? 3 : m4 / (m2 * m2);
    }

    /// <summary>The per-bar Sharpe ratio mean / sd (risk-free rate 0); NaN when sd is 0 or undefined.</summary>
    public static double Sharpe(ReadOnlySpan<double> x)
    {
        var sd = StdDev(x);
        return sd > 0 ? Mean(x) / sd : double.NaN;
    }

    /// <summary>The per-bar Sortino ratio mean / √(mean(min(r, 0)²)) (target 0, over all bars).</summary>
    public static double Sortino(ReadOnlySpan<double> x)
    {
        if (x.Length == 0)
        {
            return double.NaN;
        }

        double s = 0;
        foreach (var v in x)
        {
            if (v < 0)
            {
                s += v * v;
            }
        }

        var dd = Math.Sqrt(s / x.Length);
        return dd > 0 ? Mean(x) / dd : double.NaN;
    }

    /// <summary>Drawdown at each point of an equity curve: 1 − E_t / max_{s≤t} E_s (0 at a new high).</summary>
    public static double[] Drawdowns(ReadOnlySpan<double> equity)
    {
        var dd = new double[equity.Length];
        var peak = double.NegativeInfinity;
        for (var t = 0; t < equity.Length; t++)
        {
            peak = Math.Max(peak, equity[t]);
            dd[t] = peak > 0 ? 1 - (equity[t] / peak) : 0;
        }

        return dd;
    }

    /// <summary>The largest drawdown of an equity curve, as a positive fraction.</summary>
    public static double MaxDrawdown(ReadOnlySpan<double> equity)
    {
        var dd = Drawdowns(equity);
        return dd.Length == 0 ? 0 : dd.Max();
    }

    /// <summary>Simple returns E_t / E_{t−1} − 1 of an equity curve (one fewer than the curve).</summary>
    public static double[] Returns(ReadOnlySpan<double> equity)
    {
        var r = new double[Math.Max(0, equity.Length - 1)];
        for (var t = 1; t < equity.Length; t++)
        {
            r[t - 1] = (equity[t] / equity[t - 1]) - 1;
        }

        return r;
    }

    /// <summary>The q-quantile (linear interpolation between order statistics, type 7) of unsorted data.</summary>
    public static double Quantile(ReadOnlySpan<double> x, double q)
    {
        if (x.Length == 0)
        {
            return double.NaN;
        }

        var s = x.ToArray();
        Array.Sort(s);
        var h = (s.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + ((h - lo) * (s[hi] - s[lo]));
    }

    private static (double M2, double M3, double M4) CentralMoments(ReadOnlySpan<double> x)
    {
        if (x.Length == 0)
        {
            return (0, 0, 0);
        }

        var m = Mean(x);
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (var v in x)
        {
            var d = v - m;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }

        return (m2 / x.Length, m3 / x.Length, m4 / x.Length);
    }
}
