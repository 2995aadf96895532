using Predictive.Core.Numerics;

namespace Predictive.Core.Allocation;

/// <summary>Long-only minimum variance: min wᵀΣw subject to Σw = 1 and 0 ≤ wᵢ ≤ cap.</summary>
public sealed class MinimumVarianceAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    /// <inheritdoc />
    public override string Name => "min-variance";

    /// <inheritdoc />
    protected override bool HandlesCaps => true;

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps) =>
        CappedSimplexQp.Solve(covariance, new double[expectedReturns.Length], caps);
}
