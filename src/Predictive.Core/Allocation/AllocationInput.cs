namespace Predictive.Core.Allocation;

/// <summary>
/// An immutable snapshot of what an allocator may use at one bar. It holds nothing from later bars.
/// </summary>
public sealed class AllocationInput
{
    private readonly double[] _features;
    private readonly double[] _previousWeights;
    private readonly bool[] _available;

    /// <summary>Creates a snapshot.</summary>
    /// <param name="assets">Asset symbols, in column order.</param>
    /// <param name="featureNames">Feature names, in column order.</param>
    /// <param name="features">Features, row-major <c>[asset, feature]</c>; NaN where undefined.</param>
    /// <param name="previousWeights">Weights held before this decision, one per asset.</param>
    /// <param name="available">Which assets can be held (listed, with a recent price and enough history).</param>
    /// <param name="risk">An optional risk estimate over all assets.</param>
    /// <exception cref="ArgumentException">A shape disagrees with the asset or feature count.</exception>
    public AllocationInput(
        IReadOnlyList<string> assets,
        IReadOnlyList<string> featureNames,
        double[] features,
        double[] previousWeights,
        bool[] available,
        RiskEstimate? risk = null)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(previousWeights);
        ArgumentNullException.ThrowIfNull(available);
        var n = assets.Count;
        if (features.Length != n * featureNames.Count)
        {
            throw new ArgumentException($"features has {features.Length} values; expected {n} assets × {featureNames.Count} features = {n * featureNames.Count}.", nameof(features));
        }

        if (previousWeights.Length != n)
        {
            throw new ArgumentException($"previousWeights has {previousWeights.Length} values; expected one per asset ({n}).", nameof(previousWeights));
        }

        if (available.Length != n)
        {
            throw new ArgumentException($"available has {available.Length} values; expected one per asset ({n}).", nameof(available));
        }

        if (risk is not null && risk.AssetCount != n)
        {
            throw new ArgumentException($"the risk estimate covers {risk.AssetCount} assets; expected {n}.", nameof(risk));
        }

        Assets = assets;
        FeatureNames = featureNames;
        _features = features;
        _previousWeights = previousWeights;
        _available = available;
        Risk = risk;
    }

    /// <summary>Asset symbols, in column order.</summary>
    public IReadOnlyList<string> Assets { get; }

    /// <summary>Feature names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Features, row-major <c>[asset, feature]</c>.</summary>
    public ReadOnlySpan<double> Features => _features;

    /// <summary>Weights held before this decision.</summary>
    public ReadOnlySpan<double> PreviousWeights => _previousWeights;

    /// <summary>Which assets can be held.</summary>
    public ReadOnlySpan<bool> Available => _available;

    /// <summary>The risk estimate, when one was computed.</summary>
    public RiskEstimate? Risk { get; }

    /// <summary>The number of assets.</summary>
    public int AssetCount => Assets.Count;

    /// <summary>The number of features per asset.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>One feature of one asset.</summary>
    public double Feature(int asset, int feature) => _features[(asset * FeatureCount) + feature];
}
