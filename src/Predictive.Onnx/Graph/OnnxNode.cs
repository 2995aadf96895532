namespace Predictive.Onnx.Graph;

/// <summary>One operator application in a graph (<c>NodeProto</c>).</summary>
/// <param name="OpType">The operator, for example <c>MatMul</c>.</param>
/// <param name="Inputs">Input value names; an empty string skips an optional input.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Name">The node's name, unique in the graph.</param>
/// <param name="Domain">The operator set domain: empty for the default ONNX domain, <c>ai.onnx.ml</c> for classical ML.</param>
/// <param name="Attributes">The operator's attributes.</param>
public sealed record OnnxNode(
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    string Name,
    string Domain,
    IReadOnlyList<OnnxAttribute> Attributes);
