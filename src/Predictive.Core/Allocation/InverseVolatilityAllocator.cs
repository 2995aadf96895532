using Predictive.Core.Numerics;

namespace Predictive.Core.Allocation;

/// <summary>Weights proportional to 1/σᵢ, with σᵢ from the covariance diagonal; ignores correlation.</summary>
public sealed class InverseVolatilityAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    /// <inheritdoc />
    public override string Name => "inverse-vol";

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps)
    {
        var m = expectedReturns.Length;
        var w = new double[m];
        for (var i = 0; i < m; i++)
        {
            w[i] = 1 / Math.Sqrt(covariance[(i * m) + i]);
        }

        Weights.Normalize(w);
        return w;
    }
}
