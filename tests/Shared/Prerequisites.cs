using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Predictive.Tests.Shared;

/// <summary>
/// What a test needs from outside the repository (the shared real data, Python references) and what happens when it
/// is missing. On a full setup (the shared data directory exists beside the repository, or
/// <see cref="StrictVariable"/> is 1, as eng/test.sh sets it) a missing prerequisite fails the test: nothing may be
/// skipped silently there. Elsewhere (a bare clone) the test is inconclusive, and eng/test.sh counts it as skipped.
/// </summary>
internal static class Prerequisites
{
    /// <summary>Set to 1 to fail, not skip, every test whose prerequisite is missing.</summary>
    public const string StrictVariable = "PREDICTIVE_STRICT_PREREQUISITES";

    /// <summary>Whether a missing prerequisite fails the test.</summary>
    public static bool Strict =>
        Environment.GetEnvironmentVariable(StrictVariable) == "1" || Directory.Exists(RepositoryPaths.SharedDataDirectory());

    /// <summary>The path of a shared data file; fails or is inconclusive (see the class) when it is absent.</summary>
    public static string SharedData(string file)
    {
        var path = RepositoryPaths.SharedData(file);
        if (path is null)
        {
            Missing($"the shared data file {file} is not in {RepositoryPaths.SharedDataDirectory()}", "put the shared data beside the repository (../shared/data)");
        }

        return path!;
    }

    /// <summary>Ends the test: fails on a full setup, inconclusive elsewhere.</summary>
    /// <param name="what">What is missing.</param>
    /// <param name="fix">How to provide it.</param>
    [DoesNotReturn]
    public static void Missing(string what, string fix)
    {
        var message = $"{what}; {fix}.";
        if (Strict)
        {
            Assert.Fail($"{message} (Required here: the shared data directory exists or {StrictVariable}=1, so no test may be skipped.)");
        }

        Assert.Inconclusive(message);
        throw new UnreachableException();
    }
}
