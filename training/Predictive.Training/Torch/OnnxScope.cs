using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;

namespace Predictive.Training.Torch;

/// <summary>
/// Writes one network's part of an ONNX graph under a name prefix, so several networks (an ensemble's members) fit in
/// one graph: every name gets the prefix except the model inputs and the availability prelude all members share.
/// With an empty prefix the names are written as they are (a single network).
/// </summary>
internal sealed class OnnxScope(OnnxModelBuilder builder, string prefix, HashSet<string> metadataKeys)
{
    private static readonly HashSet<string> Shared =
    [
        ModelContract.FeaturesInput, ModelContract.PreviousWeightsInput,
        "self_difference", "not_finite", "not_finite_f", "any_not_finite", "unavailable", "mask", "x0", "x_rows",
        "zero", "one", "feature_rows", "one_column", "axis_assets",
    ];

    /// <summary>The name <paramref name="name"/> has in the graph.</summary>
    public string Name(string name) => prefix.Length == 0 || Shared.Contains(name) ? name : prefix + name;

    /// <summary>Adds a float initializer.</summary>
    public OnnxScope Float(string name, long[] dims, ReadOnlySpan<float> values)
    {
        builder.AddInitializer(OnnxTensor.Float(Name(name), dims, values));
        return this;
    }

    /// <summary>Adds an int64 initializer.</summary>
    public OnnxScope Int64(string name, long[] dims, ReadOnlySpan<long> values)
    {
        builder.AddInitializer(OnnxTensor.Int64(Name(name), dims, values));
        return this;
    }

    /// <summary>Adds a node.</summary>
    public OnnxScope Node(string op, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, IReadOnlyList<OnnxAttribute>? attributes = null)
    {
        builder.AddNode(op, [.. inputs.Select(Name)], [.. outputs.Select(Name)], attributes);
        return this;
    }

    /// <summary>Adds a metadata entry unless an earlier member already did (members of one ensemble share their settings' keys; the first value is kept).</summary>
    public void Metadata(string key, string value)
    {
        if (metadataKeys.Add(key))
        {
            builder.AddMetadata(key, value);
        }
    }
}
