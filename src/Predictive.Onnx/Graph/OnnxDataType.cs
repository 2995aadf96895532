namespace Predictive.Onnx.Graph;

/// <summary>Tensor element types, numbered as <c>TensorProto.DataType</c> in onnx.proto.</summary>
public enum OnnxDataType
{
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 7,

    /// <summary>UTF-8 string.</summary>
    String = 8,

    /// <summary>Boolean.</summary>
    Bool = 9,

    /// <summary>64-bit IEEE float.</summary>
    Double = 11,
}
