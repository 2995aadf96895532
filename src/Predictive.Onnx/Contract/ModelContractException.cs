namespace Predictive.Onnx.Contract;

/// <summary>A model or its output breaks the allocator model contract.</summary>
public sealed class ModelContractException : Exception
{
    /// <summary>Creates the exception from every problem found in <paramref name="subject"/>.</summary>
    public ModelContractException(string subject, IReadOnlyList<string> problems)
        : base($"{subject} breaks the model contract: {string.Join("; ", problems)}.")
    {
        Problems = problems;
    }

    /// <summary>Each problem, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
