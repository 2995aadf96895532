using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// Baseline: a two-hidden-layer MLP on the flattened standardized features of a fixed asset list plus the held
/// weights, giving one logit per asset. It depends on the asset order, so the exported model records the asset list.
/// </summary>
public sealed class MlpNetwork : AllocatorNetwork
{
    private readonly Linear layer1;
    private readonly Linear layer2;
    private readonly Linear output;

    /// <summary>Creates the network for <paramref name="assetCount"/> assets.</summary>
    /// <param name="scaler">The feature standardization.</param>
    /// <param name="hidden">The width of the hidden layers.</param>
    /// <param name="assetCount">The fixed number of assets.</param>
    /// <param name="tilt">How far the output may move from the anchor (<see cref="AllocatorNetwork.Tilt"/>); 1 for no anchor.</param>
    /// <param name="anchorFeature">The σ column of the minimum-variance anchor (<see cref="AllocatorNetwork.AnchorFeature"/>); null for 1/N.</param>
    public MlpNetwork(FeatureScaler scaler, int hidden, int assetCount, float tilt = 1f, int? anchorFeature = null)
        : base("mlp", scaler, hidden, tilt, anchorFeature)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(assetCount, 1);
        AssetCount = assetCount;
        layer1 = nn.Linear(assetCount * (scaler.FeatureCount + 1), hidden);
        layer2 = nn.Linear(hidden, hidden);
        output = nn.Linear(hidden, assetCount);
        RegisterComponents();
    }

    /// <summary>The number of assets the network was built for.</summary>
    public int AssetCount { get; }

    /// <inheritdoc />
    public override AllocatorModelKind Kind => AllocatorModelKind.Mlp;

    /// <inheritdoc />
    public override int? FixedAssetCount => AssetCount;

    internal Linear Layer1 => layer1;

    internal Linear Layer2 => layer2;

    internal Linear OutputLayer => output;

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask, Tensor held)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(held);
        if (features.shape[1] != AssetCount)
        {
            throw new ArgumentException($"the MLP was built for {AssetCount} assets; got {features.shape[1]}.", nameof(features));
        }

        var z = Normalize(features, mask);
        var flat = cat([z.reshape(z.shape[0], -1), held], 1);
        var h1 = nn.functional.relu(layer1.forward(flat));
        var h2 = nn.functional.relu(layer2.forward(h1));
        return TiltTowardAnchor(MaskedSoftmax(output.forward(h2), mask), mask, features);
    }
}
