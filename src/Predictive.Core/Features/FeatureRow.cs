using Predictive.Core.Allocation;

namespace Predictive.Core.Features;

/// <summary>The features of every asset at one bar, as returned by <see cref="IncrementalFeatureBuilder.Update(DateTimeOffset, ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</summary>
public sealed class FeatureRow
{
    private readonly double[] _values;
    private readonly bool[] _available;

    internal FeatureRow(DateTimeOffset timestamp, IReadOnlyList<string> assets, IReadOnlyList<string> featureNames, double[] values, bool[] available)
    {
        Timestamp = timestamp;
        Assets = assets;
        FeatureNames = featureNames;
        _values = values;
        _available = available;
    }

    /// <summary>The bar time.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The asset symbols.</summary>
    public IReadOnlyList<string> Assets { get; }

    /// <summary>The feature names.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Values, row-major <c>[asset, feature]</c>; NaN where undefined.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Which assets are available (finite close and every feature finite).</summary>
    public ReadOnlySpan<bool> Available => _available;

    /// <summary>One feature of one asset.</summary>
    public double this[int asset, int feature] => _values[(asset * FeatureNames.Count) + feature];

    /// <summary>The snapshot an allocator sees at this bar; see <see cref="AllocationInputs.Create"/>.</summary>
    public AllocationInput ToAllocationInput(ReadOnlySpan<double> previousWeights, RiskEstimate? risk = null) =>
        AllocationInputs.Create(Assets, FeatureNames, _values, _available, previousWeights, risk);
}
