using Predictive.Core.Numerics;

namespace Predictive.Core.Allocation;

/// <summary>
/// Long-only maximum Sharpe ratio (the tangency portfolio) on the given, usually shrunk, estimates, with weight caps.
/// </summary>
/// <remarks>
/// <para>Solved exactly as one convex QP by homogenization (Cornuejols &amp; Tütüncü, Optimization Methods in Finance,
/// §8.2): with excess returns e = μ − r, minimize yᵀΣy subject to eᵀy = 1, y ≥ 0 and yᵢ ≤ capᵢ·Σⱼyⱼ; then
/// w = y / Σy. Every w on the capped simplex with eᵀw &gt; 0 maps to y = w / eᵀw, whose variance is 1 / Sharpe(w)², so
/// the QP's minimizer is the capped portfolio of highest Sharpe ratio.</para>
/// <para>When no capped portfolio earns more than the risk-free rate (the best, filling the highest excess returns up
/// to their caps, has eᵀw ≤ 1e-10 × the mean asset volatility) the tangency portfolio does not exist, and the
/// minimum-variance portfolio is returned instead, exactly as <see cref="MinimumVarianceAllocator"/> computes it.
/// With caps this is stricter than "no asset beats the risk-free rate": one such asset capped at 40 % among losers
/// is not enough.</para>
/// </remarks>
public sealed class MaximumSharpeAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    /// <summary>
    /// The per-bar Sharpe ratio below which the best capped excess return counts as none: 1e-10 of the typical
    /// volatility is rounding, and a tangency portfolio built on it would be noise.
    /// </summary>
    private const double NoExcess = 1e-10;

    /// <inheritdoc />
    public override string Name => "max-sharpe";

    /// <inheritdoc />
    protected override bool HandlesCaps => true;

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps)
    {
        var m = expectedReturns.Length;
        if (caps.Sum() <= 1 + 1e-9)
        {
            // The caps leave one portfolio (every weight at its cap); the cap rows below would be dependent.
            var only = (double[])caps.Clone();
            Weights.Normalize(only);
            return only;
        }

        var excess = Array.ConvertAll(expectedReturns, mu => mu - Options.RiskFreeRatePerBar);
        var start = HighestReturn(excess, caps);
        var startExcess = DenseMatrix.Dot(excess, start);
        var varianceScale = 0.0;
        for (var i = 0; i < m; i++)
        {
            varianceScale += covariance[(i * m) + i] / m;
        }

        if (!(startExcess > NoExcess * Math.Sqrt(varianceScale)))
        {
            return CappedSimplexQp.Solve(covariance, new double[m], caps);
        }

        // Scale Σ and e to order 1 (the minimizer only rescales), so the KKT pivots are not 1e-4 against 1.
        var returnScale = excess.Max(Math.Abs);
        var q = Array.ConvertAll(covariance, v => v / varianceScale);
        var e = Array.ConvertAll(excess, v => v / returnScale);
        var problem = new QuadraticProgram(q, new double[m], new double[m], Enumerable.Repeat(double.PositiveInfinity, m).ToArray())
        {
            EqualityRows = e,
            EqualityRhs = [1.0],
            InequalityRows = CapRows(caps, out var capRhs),
            InequalityRhs = capRhs,
        };
        var y0 = Array.ConvertAll(start, w => w * returnScale / startExcess);
        if (!ActiveSetQp.TrySolve(problem, y0, out var y, out var failure))
        {
            throw new AllocationException($"{Name}: the tangency-portfolio QP on {m} assets failed: {failure}");
        }

        var total = y.Sum(v => Math.Max(0, v));
        var weights = new double[m];
        for (var i = 0; i < m; i++)
        {
            weights[i] = Math.Clamp(y[i] / total, 0, caps[i]);
        }

        Weights.SpreadResidual(weights, caps);
        return weights;
    }

    /// <summary>The capped portfolio of highest expected excess return: fill the best assets up to their caps.</summary>
    private static double[] HighestReturn(double[] excess, double[] caps)
    {
        var order = Enumerable.Range(0, excess.Length).OrderByDescending(i => excess[i]).ThenBy(i => i).ToArray();
        var w = new double[excess.Length];
        var left = 1.0;
        foreach (var i in order)
        {
            w[i] = Math.Min(caps[i], left);
            left -= w[i];
            if (left <= 0)
            {
                break;
            }
        }

        return w;
    }

    /// <summary>yᵢ − capᵢ·Σⱼyⱼ ≤ 0 for every cap below 1 (with y ≥ 0 a cap of 1 or more never binds).</summary>
    private static double[] CapRows(double[] caps, out double[] rhs)
    {
        var m = caps.Length;
        var binding = Enumerable.Range(0, m).Where(i => caps[i] < 1).ToArray();
        var rows = new double[binding.Length * m];
        for (var r = 0; r < binding.Length; r++)
        {
            for (var j = 0; j < m; j++)
            {
                rows[(r * m) + j] = (j == binding[r] ? 1 : 0) - caps[binding[r]];
            }
        }

        rhs = new double[binding.Length];
        return rows;
    }
}
