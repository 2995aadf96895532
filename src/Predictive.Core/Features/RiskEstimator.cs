using Predictive.Core.Allocation;
using Predictive.Core.MarketData;

namespace Predictive.Core.Features;

/// <summary>
/// Estimates risk at one bar for allocators: the Ledoit-Wolf (constant-correlation target) covariance of one-bar log
/// returns over the last <see cref="Window"/> bars, and expected one-bar log returns as the rolling mean shrunk towards
/// the cross-sectional average: μᵢ = (1 − λ)·meanᵢ + λ·mean over assets, λ = <see cref="MeanShrinkage"/>.
/// </summary>
/// <remarks>
/// Only the returns ending at the requested bar are read (no look-ahead). An asset without a return at every bar of
/// the window is left out: its row, column and expected return are NaN, and the others are estimated without it.
/// </remarks>
public sealed class RiskEstimator
{
    /// <summary>Creates an estimator.</summary>
    /// <param name="window">Returns per estimate, at least 2. The default value is 90 bars.</param>
    /// <param name="meanShrinkage">λ in [0, 1]. The default value is 0.5.</param>
    public RiskEstimator(int window = 90, double meanShrinkage = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        if (!(meanShrinkage is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(meanShrinkage), meanShrinkage, "mean shrinkage must be in [0, 1].");
        }

        Window = window;
        MeanShrinkage = meanShrinkage;
    }

    /// <summary>The number of one-bar returns per estimate.</summary>
    public int Window { get; }

    /// <summary>How far expected returns are pulled to the cross-sectional mean, in [0, 1].</summary>
    public double MeanShrinkage { get; }

    /// <summary>The estimate at <paramref name="bar"/> from the panel's closes at bars <c>bar − Window .. bar</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bar is outside the panel.</exception>
    public RiskEstimate Estimate(PricePanel panel, int bar)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentOutOfRangeException.ThrowIfNegative(bar);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bar, panel.BarCount);
        var n = panel.AssetCount;
        var returns = new double[Window * n];
        Array.Fill(returns, double.NaN);
        var first = bar - Window + 1;
        for (var a = 0; a < n; a++)
        {
            var close = panel.Close(a);
            for (var k = Math.Max(first, 1); k <= bar; k++)
            {
                returns[((k - first) * n) + a] = FeaturePlan.LogPrice(close[k]) - FeaturePlan.LogPrice(close[k - 1]);
            }
        }

        return Estimate(returns, Window, n);
    }

    /// <summary>The estimate from a window of returns, row-major <c>[observation, asset]</c>, oldest first; NaN = missing.</summary>
    /// <exception cref="ArgumentException">The span is not observations × assets.</exception>
    public RiskEstimate Estimate(ReadOnlySpan<double> returns, int observations, int assets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(observations, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        if (returns.Length != observations * assets)
        {
            throw new ArgumentException($"returns has {returns.Length} values; expected {observations} × {assets}.", nameof(returns));
        }

        var included = new List<int>(assets);
        for (var a = 0; a < assets; a++)
        {
            var ok = true;
            for (var k = 0; ok && k < observations; k++)
            {
                ok = double.IsFinite(returns[(k * assets) + a]);
            }

            if (ok)
            {
                included.Add(a);
            }
        }

        var covariance = new double[assets * assets];
        var expected = new double[assets];
        Array.Fill(covariance, double.NaN);
        Array.Fill(expected, double.NaN);
        var m = included.Count;
        if (m == 0)
        {
            return new RiskEstimate(covariance, expected);
        }

        var sub = new double[observations * m];
        var means = new double[m];
        for (var k = 0; k < observations; k++)
        {
            for (var i = 0; i < m; i++)
            {
                var v = returns[(k * assets) + included[i]];
                sub[(k * m) + i] = v;
                means[i] += v;
            }
        }

        var shrunk = new double[m * m];
        LedoitWolf.ShrinkToConstantCorrelation(sub, observations, m, shrunk);
        var grand = 0.0;
        for (var i = 0; i < m; i++)
        {
            means[i] /= observations;
            grand += means[i];
        }

        grand /= m;
        for (var i = 0; i < m; i++)
        {
            expected[included[i]] = ((1 - MeanShrinkage) * means[i]) + (MeanShrinkage * grand);
            for (var j = 0; j < m; j++)
            {
                covariance[(included[i] * assets) + included[j]] = shrunk[(i * m) + j];
            }
        }

        return new RiskEstimate(covariance, expected);
    }
}
