using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// Ensemble of identical independent evaluators (Jiang, Xu &amp; Liang 2017), adapted: one small network, shared by all
/// assets, scores each asset from its own standardized features and the weight it holds; a mean over the available
/// assets of the first hidden layer gives cross-asset context that is fed back to every asset. Sums and means over
/// assets do not depend on their order, so permuting the assets permutes the weights, and any asset count works.
/// </summary>
/// <remarks>
/// <c>h1 = relu(W1·[z, held] + b1)</c>, <c>c = mean over available assets of h1</c>,
/// <c>h2 = relu(Wo·h1 + Wc·c + b2)</c> (the same as one layer on the concatenation <c>[h1, c]</c>),
/// <c>logit = w3·h2 + b3</c>, <c>weights = softmax over assets</c>, then, when <see cref="MaxWeight"/> is set, the
/// water-filling cap of <see cref="WeightCap"/> (differentiable, and exported the same way), then the tilt toward 1/N
/// (<see cref="AllocatorNetwork.Tilt"/>).
/// </remarks>
public sealed class EiieNetwork : AllocatorNetwork
{
    private readonly Linear input;
    private readonly Linear own;
    private readonly Linear context;
    private readonly Linear score;

    /// <summary>Creates the network with parameters from torch's (seeded) default initialization.</summary>
    /// <param name="scaler">The feature standardization.</param>
    /// <param name="hidden">The width of the hidden layers.</param>
    /// <param name="maxWeight">The per-asset weight cap in (0, 1], raised to 1/available per row; null for none.</param>
    /// <param name="tilt">How far the output may move from the anchor (<see cref="AllocatorNetwork.Tilt"/>); 1 for no anchor.</param>
    /// <param name="anchorFeature">The σ column of the minimum-variance anchor (<see cref="AllocatorNetwork.AnchorFeature"/>); null for 1/N.</param>
    public EiieNetwork(FeatureScaler scaler, int hidden, float? maxWeight = null, float tilt = 1f, int? anchorFeature = null)
        : base("eiie", scaler, hidden, tilt, anchorFeature)
    {
        WeightCap.Validate(maxWeight, nameof(maxWeight));
        MaxWeight = maxWeight;
        input = nn.Linear(scaler.FeatureCount + 1, hidden);
        own = nn.Linear(hidden, hidden);
        context = nn.Linear(hidden, hidden, hasBias: false);
        score = nn.Linear(hidden, 1);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override AllocatorModelKind Kind => AllocatorModelKind.Eiie;

    /// <inheritdoc />
    public override int? FixedAssetCount => null;

    /// <summary>The per-asset weight cap applied after the softmax, or null for none.</summary>
    public float? MaxWeight { get; }

    internal Linear InputLayer => input;

    internal Linear OwnLayer => own;

    internal Linear ContextLayer => context;

    internal Linear ScoreLayer => score;

    /// <inheritdoc />
    public override Tensor forward(Tensor features, Tensor mask, Tensor held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var z = Normalize(features, mask);
        var h1 = nn.functional.relu(input.forward(cat([z, held.unsqueeze(-1)], -1)));
        var m = mask.unsqueeze(-1);
        using var one = 1.ToScalar();
        var pooled = h1.mul(m).sum(1, keepdim: true).div(m.sum(1, keepdim: true).clamp_min(one));
        var h2 = nn.functional.relu(own.forward(h1).add(context.forward(pooled), one));
        var logits = score.forward(h2).squeeze(-1);
        var weights = MaskedSoftmax(logits, mask);
        return TiltTowardAnchor(MaxWeight is { } cap ? WeightCap.Apply(weights, mask, cap) : weights, mask, features);
    }
}
