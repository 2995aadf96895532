namespace Predictive.Chain.Abi;

/// <summary>A value could not be ABI-encoded or decoded, or a type could not be parsed. The message names the place and the problem.</summary>
public sealed class AbiException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="path"/> (e.g. "arg 2[1].amount" or a type string).</summary>
    public AbiException(string path, string problem, Exception? inner = null)
        : base($"ABI {path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Where the problem is.</summary>
    public string Path { get; }

    /// <summary>The problem alone.</summary>
    public string Problem { get; }
}
