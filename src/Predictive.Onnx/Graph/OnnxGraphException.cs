namespace Predictive.Onnx.Graph;

/// <summary>A graph handed to <see cref="OnnxModelBuilder.Build"/> is inconsistent.</summary>
public sealed class OnnxGraphException : Exception
{
    /// <summary>Creates the exception from the list of problems found in graph <paramref name="graphName"/>.</summary>
    public OnnxGraphException(string graphName, IReadOnlyList<string> problems)
        : base($"ONNX graph '{graphName}' is invalid: {string.Join("; ", problems)}.")
    {
        Problems = problems;
    }

    /// <summary>Each problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
