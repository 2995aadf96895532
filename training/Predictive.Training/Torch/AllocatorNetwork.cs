using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// A TorchSharp allocator: <c>forward(features [batch, assets, features], mask [batch, assets], held [batch, assets])</c>
/// → long-only weights <c>[batch, assets]</c> that sum to 1 over the available assets.
/// </summary>
/// <remarks>
/// <para><c>features</c> hold raw feature values with 0 for unavailable assets; <c>mask</c> is 1 for available and 0
/// for unavailable assets (float32). Unavailable assets get weight exactly 0: their logit is replaced by
/// <see cref="MaskedLogit"/> before the softmax. A row with no available asset gets equal weights over all assets.</para>
/// <para>Every scalar operand is an explicit <see cref="Scalar"/> disposed after the operation, never an implicit
/// conversion: TorchSharp passes a scalar's native handle without keeping the object alive, so a temporary scalar can be
/// finalized (its native value freed) by a collection on another thread while libtorch still reads it. That includes the
/// <c>alpha</c> of <c>add</c>, which its one-argument overloads make implicitly, so <c>add</c> is always given one.</para>
/// <para>By default there is no weight cap inside the network; caps are applied downstream by the allocator options
/// (Core's <c>Weights.ApplyCaps</c>). <see cref="EiieNetwork"/> can optionally cap its output itself
/// (<see cref="EiieNetwork.MaxWeight"/>), so training sees the cap.</para>
/// </remarks>
public abstract class AllocatorNetwork : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    /// <summary>The logit given to unavailable assets; its exponential underflows to exactly 0 in float32.</summary>
    public const float MaskedLogit = -1e9f;

    /// <summary>Initializes the network.</summary>
    /// <param name="name">The module name.</param>
    /// <param name="scaler">The feature standardization.</param>
    /// <param name="hidden">The width of the hidden layers.</param>
    /// <param name="tilt">How far the output may move from the anchor, in (0, 1] (<see cref="Tilt"/>); 1 leaves it alone.</param>
    /// <param name="anchorFeature">The σ column of the minimum-variance anchor (<see cref="AnchorFeature"/>); null for 1/N.</param>
    protected AllocatorNetwork(string name, FeatureScaler scaler, int hidden, float tilt = 1f, int? anchorFeature = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        AnchorTilt.Validate(tilt, nameof(tilt));
        if (anchorFeature is { } k && (k < 0 || k >= scaler.FeatureCount))
        {
            throw new ArgumentOutOfRangeException(nameof(anchorFeature), k, $"the anchor's volatility column must be one of the {scaler.FeatureCount} features.");
        }

        Scaler = scaler;
        Hidden = hidden;
        Tilt = tilt;
        AnchorFeature = anchorFeature;
    }

    /// <summary>
    /// The output is a tilt around a classical anchor (over the available assets), shrunk toward it:
    /// <c>weights = anchor + Tilt·(network − anchor)</c>. 1 (the default) is the network alone; smaller values keep
    /// the weights closer to the anchor, so the network can only move them part of the way.
    /// </summary>
    public float Tilt { get; }

    /// <summary>
    /// The anchor: null for 1/N, else the feature column holding σ for the diagonal minimum-variance anchor
    /// (<see cref="TiltAnchor.MinVariance"/>, weights ∝ 1/σ²; <see cref="AnchorTilt"/>).
    /// </summary>
    public int? AnchorFeature { get; }

    /// <summary>The kind of network.</summary>
    public abstract AllocatorModelKind Kind { get; }

    /// <summary>The feature standardization built into the network.</summary>
    public FeatureScaler Scaler { get; }

    /// <summary>The width of the hidden layers.</summary>
    public int Hidden { get; }

    /// <summary>The number of features per asset.</summary>
    public int FeatureCount => Scaler.FeatureCount;

    /// <summary>The fixed asset count, or null when the network serves any number of assets.</summary>
    public abstract int? FixedAssetCount { get; }

    /// <summary>Copies every parameter's values, in <c>named_parameters</c> order.</summary>
    public IReadOnlyList<(string Name, float[] Values)> SnapshotParameters() =>
        [.. named_parameters().Select(p => (p.name, p.parameter.data<float>().ToArray()))];

    /// <summary>Restores values taken by <see cref="SnapshotParameters"/>.</summary>
    public void RestoreParameters(IReadOnlyList<(string Name, float[] Values)> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parameters = named_parameters().ToArray();
        if (parameters.Length != snapshot.Count)
        {
            throw new ArgumentException($"the snapshot has {snapshot.Count} parameters; the network has {parameters.Length}.", nameof(snapshot));
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i].parameter;
            p.copy_(tensor(snapshot[i].Values, p.shape));
        }
    }

    /// <summary>Runs the network without gradients on plain arrays (for evaluation).</summary>
    /// <param name="features">Raw features <c>[batch, assets, features]</c>, 0 where unavailable.</param>
    /// <param name="mask">Availability <c>[batch, assets]</c>.</param>
    /// <param name="held">Weights held before the decision <c>[batch, assets]</c>.</param>
    /// <param name="batch">The batch size.</param>
    /// <param name="weights">Receives <c>[batch, assets]</c> weights.</param>
    public void Predict(ReadOnlySpan<float> features, ReadOnlySpan<bool> mask, ReadOnlySpan<float> held, int batch, Span<float> weights)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var assets = mask.Length / batch;
        if (mask.Length != batch * assets || held.Length != mask.Length || weights.Length != mask.Length || features.Length != mask.Length * FeatureCount)
        {
            throw new ArgumentException($"shapes disagree: features {features.Length}, mask {mask.Length}, held {held.Length}, weights {weights.Length} for batch {batch} and {FeatureCount} features.", nameof(features));
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var m = new float[mask.Length];
        for (var i = 0; i < m.Length; i++)
        {
            m[i] = mask[i] ? 1f : 0f;
        }

        var x = tensor(features.ToArray(), [batch, assets, FeatureCount]);
        var output = forward(x, tensor(m, [batch, assets]), tensor(held.ToArray(), [batch, assets]));
        output.data<float>().CopyTo(weights);
    }

    /// <summary>Standardizes and clips features, then zeroes unavailable assets: <c>[batch, assets, features]</c>.</summary>
    protected Tensor Normalize(Tensor features, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(mask);
        var mean = tensor(Scaler.MeanArray, [FeatureCount]);
        var inv = tensor(Scaler.InvStdArray, [FeatureCount]);
        using var low = (-Scaler.Clip).ToScalar();
        using var high = Scaler.Clip.ToScalar();
        return features.sub(mean).mul(inv).clamp(low, high).mul(mask.unsqueeze(-1));
    }

    /// <summary>Applies <see cref="Tilt"/> toward the anchor to the network's weights <c>[batch, assets]</c>; <paramref name="features"/> are the raw inputs.</summary>
    protected Tensor TiltTowardAnchor(Tensor weights, Tensor mask, Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return AnchorTilt.Apply(weights, mask, Tilt, Tilt < 1 && AnchorFeature is { } k ? features.select(2, k) : null);
    }

    /// <summary>Softmax over assets with unavailable assets pushed to <see cref="MaskedLogit"/>.</summary>
    internal static Tensor MaskedSoftmax(Tensor logits, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(mask);
        using var zero = 0.ToScalar();
        using var masked = MaskedLogit.ToScalar();
        return nn.functional.softmax(logits.masked_fill(mask.eq(zero), masked), 1);
    }
}
