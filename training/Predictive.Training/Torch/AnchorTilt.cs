using System.Globalization;
using Predictive.Core.Features;
using Predictive.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// The output as a tilt around a classical anchor with shrinkage toward it:
/// <c>weights = anchor + tilt·(network − anchor)</c>. The anchor (<see cref="TiltAnchor"/>) is either equal weights over
/// the available assets, or the diagonal minimum-variance portfolio <c>1/σ²</c> normalized over them, σ the realized
/// volatility feature of the decision bar (floored at <see cref="VolatilityFloor"/>). Both are a masked softmax of
/// anchor logits (0, or <c>−2·ln σ</c>), so a row with no available asset gets equal weights over all. Written the same
/// way in torch and in ONNX; the minimum-variance anchor reads its σ from the model's own <c>features</c> input, so
/// training, export and serving see the same value and nothing after the decision bar.
/// </summary>
/// <remarks>
/// A convex mix of two long-only vectors that sum to 1 is one too, and unavailable assets stay at exactly 0. With a
/// weight cap of at least 1/available and the 1/N anchor, the mix stays under the cap (both ends are under it); the
/// minimum-variance anchor is not capped.
/// </remarks>
internal static class AnchorTilt
{
    /// <summary>The <c>metadata_props</c> key that records the tilt when it is below 1.</summary>
    public const string MetadataKey = "predictive.anchor_tilt";

    /// <summary>The <c>metadata_props</c> key that records a minimum-variance anchor (absent for 1/N).</summary>
    public const string AnchorMetadataKey = "predictive.anchor";

    /// <summary>The smallest σ the minimum-variance anchor uses (a per-bar volatility of 0.01 %), so a flat price cannot take all the weight.</summary>
    public const float VolatilityFloor = 1e-4f;

    /// <summary>
    /// The column the minimum-variance anchor reads σ from: the un-normalized realized volatility feature with the
    /// longest window (the trailing covariance's diagonal), else the un-normalized EWMA volatility with the longest half-life.
    /// </summary>
    /// <exception cref="ArgumentException">The spec has neither; the message names what is needed.</exception>
    public static int MinVarianceFeature(FeatureSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var kind in new[] { FeatureKind.RealizedVolatility, FeatureKind.EwmaVolatility })
        {
            var best = spec.Features
                .Select((f, i) => (f, i))
                .Where(p => p.f.Kind == kind && p.f.Normalization == FeatureNormalization.None)
                .OrderByDescending(p => p.f.Window)
                .FirstOrDefault();
            if (best.f is not null)
            {
                return best.i;
            }
        }

        throw new ArgumentException($"the minimum-variance anchor needs an un-normalized realizedVolatility or ewmaVolatility feature; the spec has [{string.Join(", ", spec.FeatureNames)}].", nameof(spec));
    }

    /// <summary>Checks a tilt: in (0, 1].</summary>
    public static void Validate(float tilt, string name)
    {
        if (!(tilt > 0 && tilt <= 1))
        {
            throw new ArgumentOutOfRangeException(name, tilt, $"{name} must be in (0, 1] (1: the network alone; smaller: shrunk toward 1/N).");
        }
    }

    /// <summary>Tilts <paramref name="weights"/> <c>[batch, assets]</c>; returns them unchanged when <paramref name="tilt"/> is 1.</summary>
    /// <param name="weights">The network's weights.</param>
    /// <param name="mask">Availability.</param>
    /// <param name="tilt">The tilt in (0, 1].</param>
    /// <param name="volatility">σ per asset <c>[batch, assets]</c> for the minimum-variance anchor; null for 1/N.</param>
    public static Tensor Apply(Tensor weights, Tensor mask, float tilt, Tensor? volatility = null)
    {
        if (tilt >= 1)
        {
            return weights;
        }

        // Explicit scalars kept alive over the native calls (see AllocatorNetwork).
        using var one = 1.ToScalar();
        using var scale = tilt.ToScalar();
        var anchor = Anchor(weights, mask, volatility);
        return anchor.add(weights.sub(anchor).mul(scale), one);
    }

    /// <summary>The anchor weights <c>[batch, assets]</c>: 1/N, or 1/σ² normalized, over the available assets.</summary>
    public static Tensor Anchor(Tensor like, Tensor mask, Tensor? volatility)
    {
        ArgumentNullException.ThrowIfNull(like);
        if (volatility is null)
        {
            return AllocatorNetwork.MaskedSoftmax(zeros_like(like), mask);
        }

        using var floor = VolatilityFloor.ToScalar();
        using var minusTwo = (-2f).ToScalar();
        return AllocatorNetwork.MaskedSoftmax(volatility.clamp_min(floor).log().mul(minusTwo), mask);
    }

    /// <summary>Writes the same tilt from <paramref name="input"/> to <paramref name="output"/>; needs <c>unavailable</c>, <c>zero</c>, <c>x0</c> and <c>masked_logit</c>.</summary>
    /// <param name="g">The network's scope.</param>
    /// <param name="input">The network's weights.</param>
    /// <param name="output">The tilted weights.</param>
    /// <param name="tilt">The tilt.</param>
    /// <param name="anchorFeature">The σ column of the minimum-variance anchor; null for 1/N (the graph 1/N models always had).</param>
    public static void AddNodes(OnnxScope g, string input, string output, float tilt, int? anchorFeature)
    {
        var logits = "zero";
        if (anchorFeature is { } k)
        {
            // σ from the cleaned features (x0: 0 where not finite; those assets are masked anyway), as torch reads it.
            g.Int64("anchor_feature", [], [k])
                .Float("volatility_floor", [], [VolatilityFloor])
                .Float("minus_two", [], [-2f])
                .Node("Gather", ["x0", "anchor_feature"], ["anchor_volatility"], [OnnxAttribute.Int("axis", 2)])
                .Node("Max", ["anchor_volatility", "volatility_floor"], ["anchor_volatility_floored"])
                .Node("Log", ["anchor_volatility_floored"], ["anchor_log_volatility"])
                .Node("Mul", ["anchor_log_volatility", "minus_two"], ["anchor_raw_logits"]);
            g.Metadata(AnchorMetadataKey, string.Create(CultureInfo.InvariantCulture, $"{{\"kind\":\"diagonal-min-variance\",\"feature\":{k}}}"));
            logits = "anchor_raw_logits";
        }

        g.Float("tilt", [], [tilt])
            .Node("Where", ["unavailable", "masked_logit", logits], ["anchor_logits"])
            .Node("Softmax", ["anchor_logits"], ["anchor"], [OnnxAttribute.Int("axis", 1)])
            .Node("Sub", [input, "anchor"], ["tilt_away"])
            .Node("Mul", ["tilt_away", "tilt"], ["tilt_scaled"])
            .Node("Add", ["anchor", "tilt_scaled"], [output]);
        g.Metadata(MetadataKey, tilt.ToString("R", CultureInfo.InvariantCulture));
    }
}
