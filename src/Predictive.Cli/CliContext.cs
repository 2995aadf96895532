using System.CommandLine;

namespace Predictive.Cli;

/// <summary>What every command needs: the output writers and the clock.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    /// <summary>Shows stack traces for errors.</summary>
    public static Option<bool> VerboseOption { get; } = new("--verbose") { Description = "Show details (stack traces) for errors.", Recursive = true };

    /// <summary>Standard output: results, and JSON with <c>--json</c>.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error: errors and progress.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; } = time;
}

/// <summary>A problem with the command line's input that the user can fix; printed without a stack trace.</summary>
public sealed class CliException(string message) : Exception(message);
