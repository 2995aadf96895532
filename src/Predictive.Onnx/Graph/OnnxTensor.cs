using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Predictive.Onnx.Graph;

/// <summary>
/// A constant tensor (an initializer or a tensor attribute), held as ONNX <c>raw_data</c>:
/// fixed-width little-endian elements in row-major order.
/// </summary>
public sealed class OnnxTensor
{
    private readonly byte[] _rawData;

    private OnnxTensor(string name, OnnxDataType elementType, long[] dims, byte[] rawData)
    {
        Name = name;
        ElementType = elementType;
        Dims = dims;
        _rawData = rawData;
    }

    /// <summary>The tensor's name; empty for an unnamed attribute tensor.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>The dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>The elements as little-endian bytes.</summary>
    public ReadOnlySpan<byte> RawData => _rawData;

    /// <summary>A float32 tensor.</summary>
    /// <param name="name">The tensor's name (empty for an attribute value).</param>
    /// <param name="dims">The dimensions; their product must equal the number of values.</param>
    /// <param name="values">The values, row-major.</param>
    /// <exception cref="ArgumentException">The value count disagrees with the dimensions.</exception>
    public static OnnxTensor Float(string name, long[] dims, ReadOnlySpan<float> values)
    {
        CheckShape(name, dims, values.Length);
        var raw = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        return new OnnxTensor(name, OnnxDataType.Float, (long[])dims.Clone(), raw);
    }

    /// <summary>An int64 tensor (shapes for Reshape, indices for Gather).</summary>
    /// <param name="name">The tensor's name (empty for an attribute value).</param>
    /// <param name="dims">The dimensions; their product must equal the number of values.</param>
    /// <param name="values">The values, row-major.</param>
    /// <exception cref="ArgumentException">The value count disagrees with the dimensions.</exception>
    public static OnnxTensor Int64(string name, long[] dims, ReadOnlySpan<long> values)
    {
        CheckShape(name, dims, values.Length);
        var raw = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        }

        return new OnnxTensor(name, OnnxDataType.Int64, (long[])dims.Clone(), raw);
    }

    private static void CheckShape(string name, long[] dims, int count)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        long expected = 1;
        foreach (var d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"tensor '{name}' has a negative dimension in [{string.Join(", ", dims)}].", nameof(dims));
            }

            expected *= d;
        }

        if (expected != count)
        {
            throw new ArgumentException($"tensor '{name}' has {count} values; shape [{string.Join(", ", dims)}] needs {expected}.", nameof(dims));
        }
    }

    /// <summary>Bytes of the raw data, for the serializer (no copy).</summary>
    internal ReadOnlyMemory<byte> RawMemory => _rawData;

    /// <summary>Reads the values back as floats (tests and diagnostics).</summary>
    internal float[] ToFloats() => MemoryMarshal.Cast<byte, float>(_rawData).ToArray();
}
