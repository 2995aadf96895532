using System.Globalization;
using Predictive.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// The output as a tilt around the classical anchor 1/N with shrinkage toward it:
/// <c>weights = anchor + tilt·(network − anchor)</c>, <c>anchor</c> equal weights over the available assets (equal
/// over all when none is available, as the masked softmax gives). Written the same way in torch and in ONNX.
/// </summary>
/// <remarks>
/// A convex mix of two long-only vectors that sum to 1 is one too, and unavailable assets stay at exactly 0. With a
/// weight cap of at least 1/available, the mix stays under the cap (both ends are under it).
/// </remarks>
internal static class AnchorTilt
{
    /// <summary>The <c>metadata_props</c> key that records the tilt when it is below 1.</summary>
    public const string MetadataKey = "predictive.anchor_tilt";

    /// <summary>Checks a tilt: in (0, 1].</summary>
    public static void Validate(float tilt, string name)
    {
        if (!(tilt > 0 && tilt <= 1))
        {
            throw new ArgumentOutOfRangeException(name, tilt, $"{name} must be in (0, 1] (1: the network alone; smaller: shrunk toward 1/N).");
        }
    }

    /// <summary>Tilts <paramref name="weights"/> <c>[batch, assets]</c>; returns them unchanged when <paramref name="tilt"/> is 1.</summary>
    public static Tensor Apply(Tensor weights, Tensor mask, float tilt)
    {
        if (tilt >= 1)
        {
            return weights;
        }

        // Explicit scalars kept alive over the native calls (see AllocatorNetwork).
        using var one = 1.ToScalar();
        using var scale = tilt.ToScalar();
        var anchor = AllocatorNetwork.MaskedSoftmax(zeros_like(weights), mask);
        return anchor.add(weights.sub(anchor).mul(scale), one);
    }

    /// <summary>Writes the same tilt from <paramref name="input"/> to <paramref name="output"/>; needs <c>unavailable</c>, <c>zero</c> and <c>masked_logit</c>.</summary>
    public static void AddNodes(OnnxScope g, string input, string output, float tilt)
    {
        g.Float("tilt", [], [tilt])
            .Node("Where", ["unavailable", "masked_logit", "zero"], ["anchor_logits"])
            .Node("Softmax", ["anchor_logits"], ["anchor"], [OnnxAttribute.Int("axis", 1)])
            .Node("Sub", [input, "anchor"], ["tilt_away"])
            .Node("Mul", ["tilt_away", "tilt"], ["tilt_scaled"])
            .Node("Add", ["anchor", "tilt_scaled"], [output]);
        g.Metadata(MetadataKey, tilt.ToString("R", CultureInfo.InvariantCulture));
    }
}
