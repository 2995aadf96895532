namespace Predictive.Core.MarketData;

/// <summary>
/// Market data could not be read or assembled. The message names the source, the line (when there is one) and the problem.
/// </summary>
public sealed class MarketDataException : Exception
{
    /// <summary>Creates the exception for a problem found in <paramref name="source"/>, optionally at a 1-based line.</summary>
    public MarketDataException(string source, long? line, string problem, Exception? inner = null)
        : base(Format(source, line, problem), inner)
    {
        Source = source;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file, URL or other input the problem was found in.</summary>
    public new string Source { get; }

    /// <summary>The 1-based line of the problem, when the input is line-oriented.</summary>
    public long? Line { get; }

    /// <summary>The problem alone, without the location.</summary>
    public string Problem { get; }

    private static string Format(string source, long? line, string problem) =>
        line is { } l ? $"{source}:{l}: {problem}" : $"{source}: {problem}";
}
