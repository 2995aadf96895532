using Predictive.Core.Allocation;

namespace Predictive.Core.Tests;

/// <summary>Test data builders (in the spirit of Serilog's <c>Some.*</c>): small, explicit and seeded.</summary>
internal static class Some
{
    /// <summary>A well-conditioned covariance Σ = B Bᵀ + D from a k-factor model, scaled like daily crypto returns.</summary>
    public static double[] FactorCovariance(int n, int factors, int seed)
    {
        var rng = new Random(seed);
        var b = new double[n, factors];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < factors; k++)
            {
                b[i, k] = (rng.NextDouble() - 0.3) * 0.03;
            }
        }

        var cov = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var s = 0.0;
                for (var k = 0; k < factors; k++)
                {
                    s += b[i, k] * b[j, k];
                }

                cov[(i * n) + j] = s + (i == j ? Math.Pow(0.01 + (0.04 * rng.NextDouble()), 2) : 0);
            }
        }

        return cov;
    }

    /// <summary>
    /// <see cref="FactorCovariance"/> whose last <paramref name="stablecoins"/> assets have their volatility cut to 3 %
    /// of it (about 0.1 % a day), as USDT and USDC against crypto: the ill-conditioned case of the real data.
    /// </summary>
    public static double[] CryptoCovariance(int n, int factors, int stablecoins, int seed)
    {
        var cov = FactorCovariance(n, factors, seed);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                cov[(i * n) + j] *= (i >= n - stablecoins ? 0.03 : 1) * (j >= n - stablecoins ? 0.03 : 1);
            }
        }

        return cov;
    }

    /// <summary>A covariance from volatilities and a correlation matrix.</summary>
    public static double[] Covariance(double[] vols, double[,] corr)
    {
        var n = vols.Length;
        var cov = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                cov[(i * n) + j] = vols[i] * vols[j] * corr[i, j];
            }
        }

        return cov;
    }

    /// <summary>An allocation input with no features, every asset available and flat previous weights.</summary>
    public static AllocationInput Input(double[] covariance, double[]? expectedReturns = null, bool[]? available = null)
    {
        var n = (int)Math.Round(Math.Sqrt(covariance.Length));
        var assets = Enumerable.Range(0, n).Select(i => $"A{i:00}").ToArray();
        var prev = new double[n];
        Array.Fill(prev, 1.0 / n);
        available ??= Enumerable.Repeat(true, n).ToArray();
        return new AllocationInput(assets, [], [], prev, available, new RiskEstimate(covariance, expectedReturns ?? new double[n]));
    }
}
