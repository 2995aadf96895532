using System.Diagnostics.CodeAnalysis;

namespace Predictive.Onnx.Graph;

/// <summary>A named node attribute holding exactly one kind of value (<c>AttributeProto</c>).</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "ONNX calls it an attribute; it is not a .NET attribute.")]
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Type = type;
    }

    /// <summary>The attribute's name, as the operator defines it.</summary>
    public string Name { get; }

    /// <summary>Which value field is in use.</summary>
    public OnnxAttributeType Type { get; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Float"/> attribute.</summary>
    public float FloatValue { get; private init; }

    /// <summary>The value of an <see cref="OnnxAttributeType.Int"/> attribute.</summary>
    public long IntValue { get; private init; }

    /// <summary>The value of a <see cref="OnnxAttributeType.String"/> attribute.</summary>
    public string? StringValue { get; private init; }

    /// <summary>The value of a <see cref="OnnxAttributeType.Tensor"/> attribute.</summary>
    public OnnxTensor? TensorValue { get; private init; }

    /// <summary>The values of a <see cref="OnnxAttributeType.Floats"/> attribute.</summary>
    public IReadOnlyList<float> FloatValues { get; private init; } = [];

    /// <summary>The values of an <see cref="OnnxAttributeType.Ints"/> attribute.</summary>
    public IReadOnlyList<long> IntValues { get; private init; } = [];

    /// <summary>The values of a <see cref="OnnxAttributeType.Strings"/> attribute.</summary>
    public IReadOnlyList<string> StringValues { get; private init; } = [];

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeType.Float) { FloatValue = value };

    /// <summary>An int64 attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeType.Int) { IntValue = value };

    /// <summary>A string attribute.</summary>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeType.String) { StringValue = value };
    }

    /// <summary>A tensor attribute (for example the value of a Constant node).</summary>
    public static OnnxAttribute Tensor(string name, OnnxTensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeType.Tensor) { TensorValue = value };
    }

    /// <summary>A float-list attribute.</summary>
    public static OnnxAttribute Floats(string name, params IEnumerable<float> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeType.Floats) { FloatValues = [.. values] };
    }

    /// <summary>An int64-list attribute.</summary>
    public static OnnxAttribute Ints(string name, params IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeType.Ints) { IntValues = [.. values] };
    }

    /// <summary>A string-list attribute.</summary>
    public static OnnxAttribute Strings(string name, params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, OnnxAttributeType.Strings) { StringValues = [.. values] };
    }
}
