using Predictive.Core.Numerics;

namespace Predictive.Tests.Shared;

/// <summary>
/// The earlier max-sharpe method, kept outside src as an independent reference (tests) and as the "old" side of the
/// allocator benchmark: a log-spaced scan of the risk aversion λ over mean-variance optima
/// w(λ) = argmin ½λ wᵀΣw − μᵀw on the capped simplex, each solved by <see cref="CappedSimplexQp.SolveIterative"/>,
/// then a golden-section refinement of the Sharpe ratio, which is unimodal along the frontier. About 85 QP solves.
/// </summary>
/// <remarks>Assumes some asset's expected return beats the risk-free rate (callers check that).</remarks>
internal static class FrontierScanMaxSharpe
{
    private const double GridStep = 0.25;

    public static double[] Solve(double[] covariance, double[] expectedReturns, double[] caps, double riskFree = 0)
    {
        var m = expectedReturns.Length;
        var varianceScale = Enumerable.Range(0, m).Average(i => covariance[(i * m) + i]);
        var baseLambda = expectedReturns.Max(Math.Abs) / varianceScale;

        double[] Optimum(double logLambda)
        {
            var lambda = baseLambda * Math.Pow(10, logLambda);
            return CappedSimplexQp.SolveIterative(Array.ConvertAll(covariance, v => v * lambda), expectedReturns, caps);
        }

        double Sharpe(double[] w) => (DenseMatrix.Dot(expectedReturns, w) - riskFree) / Math.Sqrt(DenseMatrix.QuadraticForm(covariance, w));

        // Coarse scan from nearly return-maximizing (λ small) to nearly variance-minimizing (λ large).
        var best = double.NegativeInfinity;
        var bestLog = 0.0;
        double[] bestW = [];
        for (var k = -3.0; k <= 8.0 + 1e-9; k += GridStep)
        {
            var w = Optimum(k);
            var s = Sharpe(w);
            if (s > best)
            {
                (best, bestLog, bestW) = (s, k, w);
            }
        }

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

        return s2 > best ? w2 : bestW;
    }
}
