namespace Predictive.Chain.Rlp;

/// <summary>RLP input is malformed or not in canonical form. The message names the byte offset and the problem.</summary>
public sealed class RlpException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="offset"/>.</summary>
    public RlpException(int offset, string problem)
        : base($"RLP at byte {offset}: {problem}.")
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The byte offset of the problem in the input.</summary>
    public int Offset { get; }

    /// <summary>The problem alone.</summary>
    public string Problem { get; }
}
