namespace Predictive.Onnx.Graph;

/// <summary>A named, typed graph input or output (<c>ValueInfoProto</c> with a tensor type).</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">The tensor element type.</param>
/// <param name="Shape">The dimensions, fixed or symbolic.</param>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<OnnxDim> Shape);
