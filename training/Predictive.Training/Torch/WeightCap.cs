using System.Globalization;
using Predictive.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace Predictive.Training.Torch;

/// <summary>
/// An optional per-asset weight cap applied after the masked softmax, as a fixed number of water-filling steps that
/// torch differentiates and ONNX writes with standard operators, in the same order so both agree.
/// </summary>
/// <remarks>
/// <para>One step: <c>excess = Σ relu(w − cap)</c>, <c>w = min(w, cap)</c>, <c>free = (w &lt; cap) · mask</c>,
/// <c>w = w + excess · w·free / max(Σ w·free, tiny)</c>. Each step that leaves excess caps at least one more asset for
/// good, and at most <c>⌊1/cap⌋</c> assets can sit at the cap, so <see cref="Steps"/> = <c>⌊1/cap⌋ + 1</c> steps give
/// the exact projection for every asset count.</para>
/// <para>A cap below <c>1/available</c> cannot be met; each row's cap is raised to <c>1/available</c> (the rule of
/// Core's <c>AllocatorOptions.MaxWeight</c>). A row with no available asset keeps its equal weights.</para>
/// </remarks>
internal static class WeightCap
{
    /// <summary>The <c>metadata_props</c> key that records the cap.</summary>
    public const string MetadataKey = "predictive.max_weight";

    private const float Tiny = 1e-30f;

    /// <summary>Checks a cap: null, or in (0, 1].</summary>
    public static void Validate(float? cap, string name)
    {
        if (cap is { } c && !(c > 0 && c <= 1))
        {
            throw new ArgumentOutOfRangeException(name, c, $"{name} must be null (no cap) or in (0, 1].");
        }
    }

    /// <summary>The number of water-filling steps that make the cap exact.</summary>
    public static int Steps(float cap) => (int)Math.Floor(1.0 / cap) + 1;

    /// <summary>Caps softmax weights <c>[batch, assets]</c>; <paramref name="mask"/> is 1 for available assets.</summary>
    public static Tensor Apply(Tensor weights, Tensor mask, float cap)
    {
        // Explicit scalars kept alive over the native calls (see AllocatorNetwork).
        using var one = 1.ToScalar();
        using var capScalar = cap.ToScalar();
        using var tiny = Tiny.ToScalar();
        var count = mask.sum(1, keepdim: true).clamp_min(one);
        var rowCap = count.reciprocal().clamp_min(capScalar);
        var w = weights;
        for (var k = 0; k < Steps(cap); k++)
        {
            var excess = nn.functional.relu(w.sub(rowCap)).sum(1, keepdim: true);
            w = minimum(w, rowCap);
            var free = w.lt(rowCap).to_type(ScalarType.Float32).mul(mask);
            var freeWeights = w.mul(free);
            w = w.add(excess.mul(freeWeights).div(freeWeights.sum(1, keepdim: true).clamp_min(tiny)), one);
        }

        return w;
    }

    /// <summary>Writes the same steps from <paramref name="input"/> to <paramref name="output"/>; needs <c>mask</c> and <c>one</c>.</summary>
    public static void AddNodes(OnnxModelBuilder b, string input, string output, float cap)
    {
        b.AddInitializer(OnnxTensor.Float("cap", [], [cap]))
            .AddInitializer(OnnxTensor.Float("cap_tiny", [], [Tiny]))
            .AddInitializer(OnnxTensor.Int64("cap_axes", [1], [1]))
            .AddNode("ReduceSum", ["mask", "cap_axes"], ["cap_count"], [OnnxAttribute.Int("keepdims", 1)])
            .AddNode("Max", ["cap_count", "one"], ["cap_count_1"])
            .AddNode("Reciprocal", ["cap_count_1"], ["cap_floor"])
            .AddNode("Max", ["cap_floor", "cap"], ["row_cap"]);
        var w = input;
        var steps = Steps(cap);
        for (var k = 0; k < steps; k++)
        {
            var p = string.Create(CultureInfo.InvariantCulture, $"cap{k}_");
            var next = k == steps - 1 ? output : p + "w";
            b.AddNode("Sub", [w, "row_cap"], [p + "over"])
                .AddNode("Relu", [p + "over"], [p + "over_pos"])
                .AddNode("ReduceSum", [p + "over_pos", "cap_axes"], [p + "excess"], [OnnxAttribute.Int("keepdims", 1)])
                .AddNode("Min", [w, "row_cap"], [p + "clipped"])
                .AddNode("Less", [p + "clipped", "row_cap"], [p + "below"])
                .AddNode("Cast", [p + "below"], [p + "below_f"], [OnnxAttribute.Int("to", (long)OnnxDataType.Float)])
                .AddNode("Mul", [p + "below_f", "mask"], [p + "free"])
                .AddNode("Mul", [p + "clipped", p + "free"], [p + "free_w"])
                .AddNode("ReduceSum", [p + "free_w", "cap_axes"], [p + "free_sum"], [OnnxAttribute.Int("keepdims", 1)])
                .AddNode("Max", [p + "free_sum", "cap_tiny"], [p + "free_sum_1"])
                .AddNode("Mul", [p + "excess", p + "free_w"], [p + "share"])
                .AddNode("Div", [p + "share", p + "free_sum_1"], [p + "add"])
                .AddNode("Add", [p + "clipped", p + "add"], [next]);
            w = next;
        }
    }
}
