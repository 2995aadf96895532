using Predictive.Core.Allocation;

namespace Predictive.Core.Features;

/// <summary>Builds the <see cref="AllocationInput"/> an allocator consumes from one bar of features.</summary>
public static class AllocationInputs
{
    /// <summary>
    /// Copies one bar of features into an immutable snapshot. An asset is available when the features say so and, if
    /// a risk estimate is given, its variance and expected return are finite (the risk window may be longer than the
    /// feature windows).
    /// </summary>
    /// <param name="assets">Asset symbols.</param>
    /// <param name="featureNames">Feature names.</param>
    /// <param name="features">One bar of features, row-major <c>[asset, feature]</c>.</param>
    /// <param name="available">Feature availability, one per asset.</param>
    /// <param name="previousWeights">Weights held before this decision, one per asset.</param>
    /// <param name="risk">An optional risk estimate over the same assets.</param>
    /// <exception cref="ArgumentException">A shape disagrees with the asset or feature count.</exception>
    public static AllocationInput Create(
        IReadOnlyList<string> assets,
        IReadOnlyList<string> featureNames,
        ReadOnlySpan<double> features,
        ReadOnlySpan<bool> available,
        ReadOnlySpan<double> previousWeights,
        RiskEstimate? risk = null)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(featureNames);
        var n = assets.Count;
        if (available.Length != n)
        {
            throw new ArgumentException($"available has {available.Length} values; expected one per asset ({n}).", nameof(available));
        }

        var mask = available.ToArray();
        if (risk is not null && risk.AssetCount == n)
        {
            for (var a = 0; a < n; a++)
            {
                mask[a] &= double.IsFinite(risk[a, a]) && double.IsFinite(risk.ExpectedReturns[a]);
            }
        }

        return new AllocationInput(assets, featureNames, features.ToArray(), previousWeights.ToArray(), mask, risk);
    }
}
