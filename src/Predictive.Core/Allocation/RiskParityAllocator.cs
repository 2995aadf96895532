using Predictive.Core.Numerics;

namespace Predictive.Core.Allocation;

/// <summary>
/// Equal risk contribution: every asset contributes wᵢ(Σw)ᵢ = wᵀΣw / N to portfolio variance.
/// </summary>
/// <remarks>
/// Solved as the convex problem min ½ yᵀΣy − (1/N) Σ ln yᵢ (Spinu 2013), whose minimizer normalized to sum 1 is the
/// ERC portfolio, by cyclical coordinate descent with the closed-form root of each coordinate's quadratic
/// (Griveau-Billion, Richard &amp; Roncalli 2013). A cap, when set, is applied after by water-filling.
/// </remarks>
public sealed class RiskParityAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    /// <inheritdoc />
    public override string Name => "risk-parity";

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps)
    {
        var m = expectedReturns.Length;
        var b = 1.0 / m;
        var y = new double[m];
        for (var i = 0; i < m; i++)
        {
            y[i] = 1 / Math.Sqrt(covariance[(i * m) + i]);
        }

        for (var sweep = 0; sweep < 10_000; sweep++)
        {
            var maxRel = 0.0;
            for (var i = 0; i < m; i++)
            {
                // Σᵢᵢ yᵢ² + cᵢ yᵢ − b = 0, with cᵢ = Σ_{j≠i} Σᵢⱼ yⱼ; take the positive root.
                var sii = covariance[(i * m) + i];
                var ci = 0.0;
                for (var j = 0; j < m; j++)
                {
                    if (j != i)
                    {
                        ci += covariance[(i * m) + j] * y[j];
                    }
                }

                var yi = (-ci + Math.Sqrt((ci * ci) + (4 * sii * b))) / (2 * sii);
                maxRel = Math.Max(maxRel, Math.Abs(yi - y[i]) / yi);
                y[i] = yi;
            }

            if (maxRel < 1e-14)
            {
                break;
            }
        }

        Weights.Normalize(y);
        return y;
    }
}
