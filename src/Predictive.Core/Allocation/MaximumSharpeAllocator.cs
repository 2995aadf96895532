using Predictive.Core.Numerics;

namespace Predictive.Core.Allocation;

/// <summary>
/// Long-only maximum Sharpe ratio (the tangency portfolio) on the given, usually shrunk, estimates, with weight caps.
/// </summary>
/// <remarks>
/// Every mean-variance optimum w(λ) = argmin ½λ wᵀΣw − μᵀw over the capped simplex lies on the efficient frontier,
/// and the Sharpe ratio is unimodal along it; so a log-spaced scan over the risk aversion λ followed by a golden-section
/// refinement finds the tangency portfolio while every candidate honours the caps exactly.
/// When no asset's expected return beats the risk-free rate the tangency portfolio does not exist and the
/// minimum-variance portfolio is returned instead.
/// </remarks>
public sealed class MaximumSharpeAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    private const double GridStep = 0.25;

    /// <inheritdoc />
    public override string Name => "max-sharpe";

    /// <inheritdoc />
    protected override bool HandlesCaps => true;

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps)
    {
        var m = expectedReturns.Length;
        var rf = Options.RiskFreeRatePerBar;
        if (expectedReturns.Max() <= rf)
        {
            return CappedSimplexQp.Solve(covariance, new double[m], caps);
        }

        var varianceScale = Enumerable.Range(0, m).Average(i => covariance[(i * m) + i]);
        var returnScale = expectedReturns.Max(Math.Abs);
        var baseLambda = returnScale / varianceScale;

        double[] Optimum(double logLambda)
        {
            var lambda = baseLambda * Math.Pow(10, logLambda);
            var q = Array.ConvertAll(covariance, v => v * lambda);
            return CappedSimplexQp.Solve(q, expectedReturns, caps);
        }

        double Sharpe(double[] w) => (DenseMatrix.Dot(expectedReturns, w) - rf) / Math.Sqrt(DenseMatrix.QuadraticForm(covariance, w));

        // Coarse scan from nearly return-maximizing (λ small) to nearly variance-minimizing (λ large).
        var best = double.NegativeInfinity;
        var bestLog = 0.0;
        double[]? bestW = null;
        for (var k = -3.0; k <= 8.0 + 1e-9; k += GridStep)
        {
            var w = Optimum(k);
            var s = Sharpe(w);
            if (s > best)
            {
                (best, bestLog, bestW) = (s, k, w);
            }
        }

        // Golden-section refinement around the best grid point.
        var invPhi = (Math.Sqrt(5) - 1) / 2;
        double a = bestLog - GridStep, b = bestLog + GridStep;
        var x1 = b - (invPhi * (b - a));
        var x2 = a + (invPhi * (b - a));
        var w1 = Optimum(x1);
        var w2 = Optimum(x2);
        double s1 = Sharpe(w1), s2 = Sharpe(w2);
        for (var it = 0; it < 40 && b - a > 1e-7; it++)
        {
            if (s1 >= s2)
            {
                (b, x2, w2, s2) = (x2, x1, w1, s1);
                x1 = b - (invPhi * (b - a));
                w1 = Optimum(x1);
                s1 = Sharpe(w1);
            }
            else
            {
                (a, x1, w1, s1) = (x1, x2, w2, s2);
                x2 = a + (invPhi * (b - a));
                w2 = Optimum(x2);
                s2 = Sharpe(w2);
            }
        }

        if (s1 > best)
        {
            (best, bestW) = (s1, w1);
        }

        if (s2 > best)
        {
            bestW = w2;
        }

        return bestW!;
    }
}
