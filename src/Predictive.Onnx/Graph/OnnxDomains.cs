namespace Predictive.Onnx.Graph;

/// <summary>Operator set domains and the versions this code base writes.</summary>
public static class OnnxDomains
{
    /// <summary>The default ONNX operator domain (written as the empty string).</summary>
    public const string Default = "";

    /// <summary>The classical machine learning domain (TreeEnsembleRegressor and friends).</summary>
    public const string Ml = "ai.onnx.ml";

    /// <summary>The default-domain opset imported unless overridden: 17 (ONNX 1.12).</summary>
    public const long DefaultOpset = 17;

    /// <summary>The <c>ai.onnx.ml</c> opset that goes with ONNX 1.12: 3.</summary>
    public const long MlOpset = 3;

    /// <summary>The IR version that goes with ONNX 1.12: 8.</summary>
    public const long IrVersion = 8;
}
