using CsCheck;

namespace Predictive.Tests.Shared;

/// <summary>
/// Replaying a failed property test. CsCheck runs the first iteration from the test's pinned seed and the rest from
/// fresh random seeds; when a case fails it shrinks it and reports its seed in the failure ("Set seed: "…" or
/// -e CsCheck_Seed=… to reproduce"). A seed written in the test would override CsCheck's own variable, so tests pass
/// <c>seed: PropertySeed.Or("…")</c>: with <c>CsCheck_Seed</c> exported, the reported case runs first.
/// </summary>
/// <remarks>To replay: <c>CsCheck_Seed=&lt;seed&gt; dotnet test --project tests/X -c Release -- --filter "FullyQualifiedName~TestName"</c>.</remarks>
internal static class PropertySeed
{
    /// <summary>The seed from <c>CsCheck_Seed</c> when set, otherwise <paramref name="pinned"/>.</summary>
    public static string Or(string pinned) => Check.Seed is { Length: > 0 } replay ? replay : pinned;

    /// <summary>
    /// A fixed list of <paramref name="count"/> cases, all generated from one seed (not only the first): for tests that
    /// count outcomes over the cases, whose thresholds must not depend on the run.
    /// </summary>
    public static T[] FixedCases<T>(Gen<T> gen, int count, string seed) => Check.Single(gen.Array[count], _ => true, seed);
}
