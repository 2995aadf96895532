namespace Predictive.Core.Allocation;

/// <summary>1/N over the available assets: the baseline every other strategy must beat net of costs.</summary>
public sealed class EqualWeightAllocator(AllocatorOptions? options = null) : ClassicalAllocator(options)
{
    /// <inheritdoc />
    public override string Name => "equal";

    /// <inheritdoc />
    protected override bool NeedsRisk => false;

    /// <inheritdoc />
    protected override double[] Solve(double[] covariance, double[] expectedReturns, double[] caps)
    {
        var w = new double[expectedReturns.Length];
        Array.Fill(w, 1.0 / w.Length);
        return w;
    }
}
