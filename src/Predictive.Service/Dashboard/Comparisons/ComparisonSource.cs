using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Predictive.Service.Dashboard.Comparisons;

/// <summary>
/// Finds and reads the <c>results.json</c> files of <c>predictive compare</c> from the configured locations, on every
/// request (new results appear without a restart). Any numeric property of a strategy becomes a column, so a newer
/// results.json with more metrics still shows. The files are untrusted: bounded in size, and a bad one is listed with
/// the reason rather than failing the page.
/// </summary>
internal sealed class ComparisonSource(IOptions<DashboardOptions> options, IWebHostEnvironment environment)
{
    /// <summary>The file name <c>predictive compare</c> writes.</summary>
    public const string FileName = "results.json";

    /// <summary>The results.json names of the two frontier axes (see <c>StrategyScore</c> in Predictive.Research).</summary>
    public const string Costs = "costs";

    /// <summary>The tracking-error column.</summary>
    public const string TrackingError = "tracking_error";

    /// <summary>The largest results.json read.</summary>
    public const long MaxBytes = 32L << 20;

    private static readonly EnumerationOptions Search = new() { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseSensitive };

    /// <summary>Whether any location is configured.</summary>
    public bool Configured => options.Value.Comparisons.Count > 0;

    /// <summary>Every results.json found, with its title or the reason it cannot be read.</summary>
    public ComparisonList List()
    {
        var summaries = new List<ComparisonSummary>();
        var files = Files(out var missing);
        foreach (var path in files)
        {
            var (results, error) = Read(path);
            summaries.Add(new ComparisonSummary(IdOf(path), path, results?.Title, results?.Rows.Count ?? 0, error));
        }

        summaries.AddRange(missing.Select(m => new ComparisonSummary(IdOf(m), m, null, 0, $"Predictive:Dashboard:Comparisons names '{m}', which is neither a {FileName} file nor a folder.")));
        return new ComparisonList(Configured, summaries);
    }

    /// <summary>The results with <paramref name="id"/>, or null when no configured file has it; the error when it cannot be read.</summary>
    public (ComparisonResults? Results, string? Error)? Find(string id)
    {
        var path = Files(out _).FirstOrDefault(p => IdOf(p) == id);
        return path is null ? null : Read(path);
    }

    private List<string> Files(out List<string> missing)
    {
        missing = [];
        var files = new List<string>();
        foreach (var configured in options.Value.Comparisons)
        {
            var full = Path.GetFullPath(configured, environment.ContentRootPath);
            if (File.Exists(full))
            {
                files.Add(full);
            }
            else if (Directory.Exists(full))
            {
                files.AddRange(Directory.EnumerateFiles(full, FileName, Search).Order(StringComparer.Ordinal));
            }
            else
            {
                missing.Add(full);
            }
        }

        return [.. files.Distinct(StringComparer.Ordinal)];
    }

    private static string IdOf(string path) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];

    private static (ComparisonResults? Results, string? Error) Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length > MaxBytes)
            {
                return (null, $"{path}: {info.Length} bytes, more than the {MaxBytes} read.");
            }

            using var stream = info.OpenRead();
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
            return (Parse(IdOf(path), path, document.RootElement), null);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or FormatException)
        {
            return (null, $"{path}: {e.Message}");
        }
    }

    private static ComparisonResults Parse(string id, string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("strategies", out var strategies) || strategies.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("not a results.json of predictive compare: no 'strategies' array.");
        }

        var columns = new List<string>();
        var raw = new List<(string Allocator, string Policy, Dictionary<string, double?> Values)>();
        foreach (var strategy in strategies.EnumerateArray())
        {
            if (strategy.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"strategy {raw.Count} is not an object.");
            }

            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var property in strategy.EnumerateObject())
            {
                if (Number(property.Value) is { } number)
                {
                    if (!columns.Contains(property.Name))
                    {
                        columns.Add(property.Name);
                    }

                    values[property.Name] = double.IsFinite(number) ? number : null;
                }
            }

            raw.Add((Text(strategy, "allocator") ?? "?", Text(strategy, "policy") ?? "?", values));
        }

        var frontier = Frontier.Of([.. raw.Select(r => (r.Values.GetValueOrDefault(Costs), r.Values.GetValueOrDefault(TrackingError)))]);
        var rows = raw.Select((r, i) => new ComparisonRow(r.Allocator, r.Policy, columns.ToDictionary(c => c, c => r.Values.GetValueOrDefault(c), StringComparer.Ordinal), frontier[i])).ToList();
        return new ComparisonResults(id, path, Text(root, "title") ?? Path.GetFileName(Path.GetDirectoryName(path)) ?? path, Text(root, "description") ?? "", columns, rows);
    }

    // results.json writes non-finite numbers as the strings "NaN", "Infinity" and "-Infinity".
    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => null,
        },
        _ => null,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
