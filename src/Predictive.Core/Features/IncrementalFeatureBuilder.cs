namespace Predictive.Core.Features;

/// <summary>
/// Builds features one bar at a time for live use, with O(1) work per asset and statistic (O(N²) for correlations).
/// Fed the bars of a panel in order, it produces bitwise the values of <see cref="FeatureBuilder.Build"/>.
/// </summary>
public sealed class IncrementalFeatureBuilder
{
    private readonly FeaturePlan _plan;
    private readonly string[] _assets;
    private readonly PerAssetKernel _kernel;
    private readonly CrossAssetKernel? _cross;

    /// <summary>Creates a builder with no history.</summary>
    /// <param name="spec">The feature spec; the same one training used.</param>
    /// <param name="assets">The asset symbols, in the column order of every update.</param>
    public IncrementalFeatureBuilder(FeatureSpec spec, IReadOnlyList<string> assets)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(assets);
        if (assets.Count == 0)
        {
            throw new ArgumentException("at least one asset is needed.", nameof(assets));
        }

        Spec = spec;
        _plan = new FeaturePlan(spec);
        _assets = [.. assets];
        _kernel = new PerAssetKernel(_plan, _assets.Length);
        _cross = _plan.CrossAsset.Length > 0 ? new CrossAssetKernel(_plan, _assets.Length) : null;
    }

    /// <summary>The feature spec.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>The asset symbols, in column order.</summary>
    public IReadOnlyList<string> Assets => _assets;

    /// <summary>The number of bars seen.</summary>
    public int BarCount { get; private set; }

    /// <summary>The time of the last bar seen, or null before the first.</summary>
    public DateTimeOffset? LastTimestamp { get; private set; }

    /// <summary>Adds one bar and returns every asset's features at it.</summary>
    /// <param name="timestamp">The bar time; must be after the previous one.</param>
    /// <param name="closes">One close per asset; NaN where the asset has no price (not listed, or a gap).</param>
    /// <param name="volumes">One quote-currency volume per asset; may be empty when the spec uses no volume.</param>
    /// <exception cref="ArgumentException">A span has the wrong length or the time does not increase.</exception>
    /// <exception cref="FeatureSpecException">The spec needs volumes and none were given.</exception>
    public FeatureRow Update(DateTimeOffset timestamp, ReadOnlySpan<double> closes, ReadOnlySpan<double> volumes = default)
    {
        var values = new double[_assets.Length * _plan.FeatureCount];
        var available = new bool[_assets.Length];
        Update(timestamp, closes, volumes, values, available);
        return new FeatureRow(timestamp, _assets, Spec.FeatureNames, values, available);
    }

    /// <summary>Adds one bar and writes the features into caller-owned buffers (no allocation).</summary>
    /// <param name="timestamp">The bar time; must be after the previous one.</param>
    /// <param name="closes">One close per asset; NaN where missing.</param>
    /// <param name="volumes">One volume per asset; may be empty when the spec uses no volume.</param>
    /// <param name="features">Written: <c>[asset, feature]</c>, assets × features values.</param>
    /// <param name="available">Written: one flag per asset.</param>
    public void Update(DateTimeOffset timestamp, ReadOnlySpan<double> closes, ReadOnlySpan<double> volumes, Span<double> features, Span<bool> available)
    {
        var n = _assets.Length;
        var f = _plan.FeatureCount;
        if (LastTimestamp is { } last && timestamp <= last)
        {
            throw new ArgumentException($"bar time {timestamp:O} is not after the previous bar {last:O}.", nameof(timestamp));
        }

        if (closes.Length != n)
        {
            throw new ArgumentException($"closes has {closes.Length} values; expected one per asset ({n}).", nameof(closes));
        }

        if (_plan.UsesVolume && volumes.IsEmpty)
        {
            FeatureBuilder.CheckVolume(Spec, hasVolume: false);
        }

        if (!volumes.IsEmpty && volumes.Length != n)
        {
            throw new ArgumentException($"volumes has {volumes.Length} values; expected one per asset ({n}) or none.", nameof(volumes));
        }

        if (features.Length != n * f || available.Length != n)
        {
            throw new ArgumentException($"buffers hold {features.Length} features and {available.Length} flags; expected {n * f} and {n}.", nameof(features));
        }

        _kernel.Step(closes, volumes, features, available);
        _cross?.Step(closes, features);
        RowFinisher.Finish(_plan, features, available);
        LastTimestamp = timestamp;
        BarCount++;
    }
}
