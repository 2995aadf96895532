namespace Predictive.Onnx.Inference;

/// <summary>A model returned weights that break the contract (not finite, negative, or not summing to 1).</summary>
public sealed class ModelOutputException : Exception
{
    /// <summary>Creates the exception for the model <paramref name="model"/> (<c>name/version</c>).</summary>
    public ModelOutputException(string model, IReadOnlyList<string> problems)
        : base($"model '{model}' returned invalid weights: {string.Join("; ", problems)}.")
    {
        Model = model;
        Problems = problems;
    }

    /// <summary>The model, as <c>name/version</c>.</summary>
    public string Model { get; }

    /// <summary>Each problem, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
