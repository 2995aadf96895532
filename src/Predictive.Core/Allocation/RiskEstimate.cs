namespace Predictive.Core.Allocation;

/// <summary>
/// A per-bar risk model: a covariance matrix of per-bar log returns (usually Ledoit-Wolf shrunk) and expected
/// per-bar returns, both over the same assets as the <see cref="AllocationInput"/>.
/// </summary>
/// <remarks>Rows and columns of unavailable assets may hold NaN; allocators only read available ones.</remarks>
public sealed class RiskEstimate
{
    private readonly double[] _covariance;
    private readonly double[] _expectedReturns;

    /// <summary>Creates a risk estimate.</summary>
    /// <param name="covariance">Row-major <c>n × n</c> covariance of per-bar returns.</param>
    /// <param name="expectedReturns">Expected per-bar returns, one per asset.</param>
    /// <exception cref="ArgumentException">The shapes disagree.</exception>
    public RiskEstimate(double[] covariance, double[] expectedReturns)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        ArgumentNullException.ThrowIfNull(expectedReturns);
        var n = expectedReturns.Length;
        if (covariance.Length != n * n)
        {
            throw new ArgumentException($"covariance has {covariance.Length} values; expected {n}×{n} for {n} assets.", nameof(covariance));
        }

        _covariance = covariance;
        _expectedReturns = expectedReturns;
    }

    /// <summary>The number of assets.</summary>
    public int AssetCount => _expectedReturns.Length;

    /// <summary>The covariance matrix, row-major.</summary>
    public ReadOnlySpan<double> Covariance => _covariance;

    /// <summary>Expected per-bar returns.</summary>
    public ReadOnlySpan<double> ExpectedReturns => _expectedReturns;

    /// <summary>One covariance entry.</summary>
    public double this[int i, int j] => _covariance[(i * AssetCount) + j];
}
