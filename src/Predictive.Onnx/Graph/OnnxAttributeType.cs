namespace Predictive.Onnx.Graph;

/// <summary>Attribute kinds, numbered as <c>AttributeProto.AttributeType</c> in onnx.proto.</summary>
public enum OnnxAttributeType
{
    /// <summary>One float.</summary>
    Float = 1,

    /// <summary>One int64.</summary>
    Int = 2,

    /// <summary>One UTF-8 string.</summary>
    String = 3,

    /// <summary>One tensor.</summary>
    Tensor = 4,

    /// <summary>A list of floats.</summary>
    Floats = 6,

    /// <summary>A list of int64.</summary>
    Ints = 7,

    /// <summary>A list of UTF-8 strings.</summary>
    Strings = 8,
}
