namespace Predictive.Service.Dashboard.Comparisons;

/// <summary>The answer of <c>GET /v1/comparisons</c>.</summary>
/// <param name="Configured">Whether any location is configured (<c>Predictive:Dashboard:Comparisons</c>).</param>
/// <param name="Results">Every <c>results.json</c> found, readable or not, in path order.</param>
public sealed record ComparisonList(bool Configured, IReadOnlyList<ComparisonSummary> Results);

/// <summary>One <c>results.json</c> found.</summary>
/// <param name="Id">A stable id: the first 16 hex digits of the SHA-256 of the full path.</param>
/// <param name="Path">The full path of the file (or of the configured location that was not found).</param>
/// <param name="Title">The title, or null when the file could not be read.</param>
/// <param name="Strategies">How many leaderboard rows it holds.</param>
/// <param name="Error">Why the file or location could not be read, or null.</param>
public sealed record ComparisonSummary(string Id, string Path, string? Title, int Strategies, string? Error);

/// <summary>The answer of <c>GET /v1/comparisons/{id}</c>: one results.json as a leaderboard.</summary>
/// <param name="Id">The id.</param>
/// <param name="Path">The file's full path.</param>
/// <param name="Title">What was compared.</param>
/// <param name="Description">Data, costs and seed.</param>
/// <param name="Columns">The numeric columns, in the file's order.</param>
/// <param name="Rows">The strategies, in the file's order.</param>
public sealed record ComparisonResults(string Id, string Path, string Title, string Description, IReadOnlyList<string> Columns, IReadOnlyList<ComparisonRow> Rows);

/// <summary>One leaderboard row.</summary>
/// <param name="Allocator">The allocator.</param>
/// <param name="Policy">The rebalancing policy.</param>
/// <param name="Values">Column → value; null when missing or not a finite number.</param>
/// <param name="OnFrontier">
/// Whether no other row has both a lower-or-equal cost and a lower-or-equal tracking error with one of them strictly lower
/// (the cost-versus-tracking-error frontier).
/// </param>
public sealed record ComparisonRow(string Allocator, string Policy, IReadOnlyDictionary<string, double?> Values, bool OnFrontier);
