namespace Predictive.Onnx.Graph;

/// <summary>
/// An immutable, validated ONNX model (a <c>ModelProto</c> with one graph), ready to be serialized.
/// Build one with <see cref="OnnxModelBuilder"/>.
/// </summary>
public sealed class OnnxModel
{
    internal OnnxModel(OnnxModelBuilder.State state)
    {
        IrVersion = state.IrVersion;
        ProducerName = state.ProducerName;
        ProducerVersion = state.ProducerVersion;
        ModelVersion = state.ModelVersion;
        DocString = state.DocString;
        GraphName = state.GraphName;
        OpsetImports = new Dictionary<string, long>(state.Opsets, StringComparer.Ordinal);
        Inputs = [.. state.Inputs];
        Outputs = [.. state.Outputs];
        Initializers = [.. state.Initializers];
        Nodes = [.. state.Nodes];
        Metadata = [.. state.Metadata];
    }

    private OnnxModel(OnnxModel source, IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        IrVersion = source.IrVersion;
        ProducerName = source.ProducerName;
        ProducerVersion = source.ProducerVersion;
        ModelVersion = source.ModelVersion;
        DocString = source.DocString;
        GraphName = source.GraphName;
        OpsetImports = source.OpsetImports;
        Inputs = source.Inputs;
        Outputs = source.Outputs;
        Initializers = source.Initializers;
        Nodes = source.Nodes;
        Metadata = metadata;
    }

    /// <summary>The ONNX IR version (<c>ir_version</c>).</summary>
    public long IrVersion { get; }

    /// <summary>The tool that wrote the model.</summary>
    public string ProducerName { get; }

    /// <summary>The version of the tool that wrote the model.</summary>
    public string ProducerVersion { get; }

    /// <summary>The model's own version number.</summary>
    public long ModelVersion { get; }

    /// <summary>Human-readable documentation; may be empty.</summary>
    public string DocString { get; }

    /// <summary>The graph's name.</summary>
    public string GraphName { get; }

    /// <summary>Imported operator sets: domain → version.</summary>
    public IReadOnlyDictionary<string, long> OpsetImports { get; }

    /// <summary>Graph inputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>Graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>Constant tensors.</summary>
    public IReadOnlyList<OnnxTensor> Initializers { get; }

    /// <summary>Nodes in topological order.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>Key/value metadata (<c>metadata_props</c>), in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>This model with one more <c>metadata_props</c> entry, appended after the others.</summary>
    /// <exception cref="ArgumentException">The key is empty or already set.</exception>
    public OnnxModel WithMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        if (Metadata.Any(p => p.Key == key))
        {
            throw new ArgumentException($"metadata key '{key}' is already set.", nameof(key));
        }

        return new OnnxModel(this, [.. Metadata, new KeyValuePair<string, string>(key, value)]);
    }

    /// <summary>Serializes the model to ONNX protobuf bytes.</summary>
    public byte[] ToByteArray()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>Serializes the model to <paramref name="stream"/>.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        OnnxProtoWriter.WriteModel(this, stream);
    }

    /// <summary>Writes the model to a file, replacing it.</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.Create(path);
        WriteTo(file);
    }
}
