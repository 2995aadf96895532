using Predictive.Core.Allocation;

namespace Predictive.Core.Features;

/// <summary>
/// Features of every asset at every bar of a panel: values <c>[bar, asset, feature]</c> (NaN where undefined), the
/// feature names, and an availability mask <c>[bar, asset]</c>. Built by <see cref="FeatureBuilder.Build"/>.
/// </summary>
/// <remarks>Row <c>t</c> depends on the panel's bars <c>0..t</c> only (see docs/features.md).</remarks>
public sealed class FeatureFrame
{
    private readonly DateTimeOffset[] _timestamps;
    private readonly string[] _assets;
    private readonly double[] _values;
    private readonly bool[] _available;

    internal FeatureFrame(FeatureSpec spec, DateTimeOffset[] timestamps, string[] assets, double[] values, bool[] available)
    {
        Spec = spec;
        _timestamps = timestamps;
        _assets = assets;
        _values = values;
        _available = available;
    }

    /// <summary>The spec the frame was built from.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>The feature names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames => Spec.FeatureNames;

    /// <summary>The asset symbols, in column order.</summary>
    public IReadOnlyList<string> Assets => _assets;

    /// <summary>The bar times, as in the panel.</summary>
    public ReadOnlySpan<DateTimeOffset> Timestamps => _timestamps;

    /// <summary>The number of bars.</summary>
    public int BarCount => _timestamps.Length;

    /// <summary>The number of assets.</summary>
    public int AssetCount => _assets.Length;

    /// <summary>The number of features per asset.</summary>
    public int FeatureCount => Spec.FeatureNames.Count;

    /// <summary>All values, row-major <c>[bar, asset, feature]</c>.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>One feature of one asset at one bar.</summary>
    public double this[int bar, int asset, int feature] => _values[Offset(bar, asset) + feature];

    /// <summary>The features of every asset at one bar, row-major <c>[asset, feature]</c>.</summary>
    public ReadOnlySpan<double> Row(int bar) => _values.AsSpan(Offset(bar, 0), AssetCount * FeatureCount);

    /// <summary>
    /// Which assets are available at one bar: listed, with a finite positive close, and with enough history that every
    /// feature is finite.
    /// </summary>
    public ReadOnlySpan<bool> Availability(int bar) => _available.AsSpan(bar * AssetCount, AssetCount);

    /// <summary>Whether one asset is available at one bar.</summary>
    public bool IsAvailable(int bar, int asset) => _available[(bar * AssetCount) + asset];

    /// <summary>The column of a feature.</summary>
    /// <exception cref="KeyNotFoundException">The frame has no such feature.</exception>
    public int IndexOfFeature(string name)
    {
        var i = Spec.IndexOf(name);
        return i >= 0 ? i : throw new KeyNotFoundException($"The frame has no feature '{name}'. Features: {string.Join(", ", FeatureNames)}.");
    }

    /// <summary>The snapshot an allocator sees at <paramref name="bar"/>; see <see cref="AllocationInputs.Create"/>.</summary>
    public AllocationInput ToAllocationInput(int bar, ReadOnlySpan<double> previousWeights, RiskEstimate? risk = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bar);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bar, BarCount);
        return AllocationInputs.Create(_assets, FeatureNames, Row(bar), Availability(bar), previousWeights, risk);
    }

    private int Offset(int bar, int asset) => ((bar * AssetCount) + asset) * FeatureCount;
}
