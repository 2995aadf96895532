namespace Predictive.Onnx.Registry;

/// <summary>Why a model directory was not loaded.</summary>
/// <param name="Key"><c>name/version</c> from the directory layout.</param>
/// <param name="Directory">The model directory.</param>
/// <param name="Stage">Which check failed (see <see cref="RefusalStages"/>).</param>
/// <param name="Reason">What is wrong, in one or more sentences.</param>
/// <param name="At">When the model was refused.</param>
public sealed record ModelRefusal(string Key, string Directory, string Stage, string Reason, DateTimeOffset At);

/// <summary>The checks a model passes, in order; a refusal names the first that failed.</summary>
public static class RefusalStages
{
    /// <summary>model.json is missing or invalid, the SHA-256 does not match, or the manifest names another model.</summary>
    public const string Integrity = "integrity";

    /// <summary>The approval authority (the on-chain registry in governed mode) does not approve this file.</summary>
    public const string Governance = "governance";

    /// <summary>The file is not ONNX, or an operator set is unsupported.</summary>
    public const string Opset = "opset";

    /// <summary>ONNX Runtime could not create a session.</summary>
    public const string Session = "session";

    /// <summary>Inputs, outputs or metadata break the model contract.</summary>
    public const string Contract = "contract";

    /// <summary>The feature spec is unreadable or its feature count differs from the <c>features</c> input.</summary>
    public const string FeatureSpec = "feature-spec";

    /// <summary>A smoke inference gave weights that are not finite, negative, or do not sum to 1.</summary>
    public const string Smoke = "smoke";
}
