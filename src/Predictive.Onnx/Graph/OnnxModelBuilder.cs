namespace Predictive.Onnx.Graph;

/// <summary>
/// Fluent builder for a single-graph ONNX model. <see cref="Build"/> checks that every node input is
/// defined before use, every output is produced, names are unique and every domain is imported.
/// </summary>
/// <example>
/// <code>
/// var model = new OnnxModelBuilder("allocator")
///     .WithProducer("predictive", "1.0.0")
///     .AddInput("x", OnnxDataType.Float, "batch", 3)
///     .AddInitializer(OnnxTensor.Float("w", [3, 2], weights))
///     .AddNode("MatMul", ["x", "w"], ["y"])
///     .AddOutput("y", OnnxDataType.Float, "batch", 2)
///     .Build();
/// </code>
/// </example>
public sealed class OnnxModelBuilder
{
    private readonly State _state;

    /// <summary>Starts a model whose graph is called <paramref name="graphName"/>; the default opset is imported.</summary>
    public OnnxModelBuilder(string graphName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _state = new State(graphName);
        _state.Opsets[OnnxDomains.Default] = OnnxDomains.DefaultOpset;
    }

    /// <summary>Sets the producer name and version (<c>producer_name</c>, <c>producer_version</c>).</summary>
    public OnnxModelBuilder WithProducer(string name, string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        _state.ProducerName = name;
        _state.ProducerVersion = version;
        return this;
    }

    /// <summary>Sets the IR version; the default is <see cref="OnnxDomains.IrVersion"/>.</summary>
    public OnnxModelBuilder WithIrVersion(long irVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(irVersion, 3);
        _state.IrVersion = irVersion;
        return this;
    }

    /// <summary>Sets the model's own version number (<c>model_version</c>).</summary>
    public OnnxModelBuilder WithModelVersion(long modelVersion)
    {
        _state.ModelVersion = modelVersion;
        return this;
    }

    /// <summary>Sets the model's documentation string.</summary>
    public OnnxModelBuilder WithDocString(string docString)
    {
        ArgumentNullException.ThrowIfNull(docString);
        _state.DocString = docString;
        return this;
    }

    /// <summary>Imports (or re-versions) an operator set, for example <see cref="OnnxDomains.Ml"/>.</summary>
    public OnnxModelBuilder ImportOpset(string domain, long version)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        _state.Opsets[domain] = version;
        return this;
    }

    /// <summary>Declares a graph input.</summary>
    public OnnxModelBuilder AddInput(string name, OnnxDataType elementType, params OnnxDim[] shape)
    {
        _state.Inputs.Add(ValueInfo(name, elementType, shape));
        return this;
    }

    /// <summary>Declares a graph output; some node must produce it.</summary>
    public OnnxModelBuilder AddOutput(string name, OnnxDataType elementType, params OnnxDim[] shape)
    {
        _state.Outputs.Add(ValueInfo(name, elementType, shape));
        return this;
    }

    /// <summary>Adds a constant tensor; its name must be set.</summary>
    public OnnxModelBuilder AddInitializer(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Name.Length == 0)
        {
            throw new ArgumentException("an initializer needs a name.", nameof(tensor));
        }

        _state.Initializers.Add(tensor);
        return this;
    }

    /// <summary>Appends a node; nodes must be added in topological order.</summary>
    /// <param name="opType">The operator, for example <c>Softmax</c>.</param>
    /// <param name="inputs">Input names; an empty string skips an optional input.</param>
    /// <param name="outputs">Output names.</param>
    /// <param name="attributes">The operator's attributes, if any.</param>
    /// <param name="domain">The operator's domain; default ONNX when empty.</param>
    /// <param name="name">The node name; generated from the op type and position when null.</param>
    public OnnxModelBuilder AddNode(
        string opType,
        IReadOnlyList<string> inputs,
        IReadOnlyList<string> outputs,
        IReadOnlyList<OnnxAttribute>? attributes = null,
        string domain = OnnxDomains.Default,
        string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(domain);
        var nodeName = name ?? $"{opType}_{_state.Nodes.Count}";
        _state.Nodes.Add(new OnnxNode(opType, [.. inputs], [.. outputs], nodeName, domain, [.. attributes ?? []]));
        return this;
    }

    /// <summary>Adds a <c>metadata_props</c> entry; keys must be distinct.</summary>
    public OnnxModelBuilder AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_state.Metadata.Exists(p => p.Key == key))
        {
            throw new ArgumentException($"metadata key '{key}' is already set.", nameof(key));
        }

        _state.Metadata.Add(new KeyValuePair<string, string>(key, value));
        return this;
    }

    /// <summary>Validates the graph and returns the immutable model.</summary>
    /// <exception cref="OnnxGraphException">The graph is inconsistent; the message names every problem.</exception>
    public OnnxModel Build()
    {
        var problems = OnnxGraphValidator.FindProblems(_state);
        if (problems.Count > 0)
        {
            throw new OnnxGraphException(_state.GraphName, problems);
        }

        return new OnnxModel(_state);
    }

    private static OnnxValueInfo ValueInfo(string name, OnnxDataType elementType, OnnxDim[] shape)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(shape);
        return new OnnxValueInfo(name, elementType, [.. shape]);
    }

    /// <summary>What the builder has collected; read by the validator and copied by <see cref="OnnxModel"/>.</summary>
    internal sealed class State(string graphName)
    {
        public string GraphName { get; } = graphName;

        public long IrVersion { get; set; } = OnnxDomains.IrVersion;

        public string ProducerName { get; set; } = "Predictive";

        public string ProducerVersion { get; set; } = "0.0.0";

        public long ModelVersion { get; set; } = 1;

        public string DocString { get; set; } = string.Empty;

        public Dictionary<string, long> Opsets { get; } = new(StringComparer.Ordinal);

        public List<OnnxValueInfo> Inputs { get; } = [];

        public List<OnnxValueInfo> Outputs { get; } = [];

        public List<OnnxTensor> Initializers { get; } = [];

        public List<OnnxNode> Nodes { get; } = [];

        public List<KeyValuePair<string, string>> Metadata { get; } = [];
    }
}
