using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Predictive.Research.Reporting;

namespace Predictive.Research.Comparison;

/// <summary>The files a comparison leaves in its output folder: <c>results.json</c> and <c>report.html</c>.</summary>
public static class ComparisonReport
{
    /// <summary>The JSON style of the results file: indented, snake-case names as declared on <see cref="StrategyScore"/>.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>One paragraph stating the data, costs and seed (the <c>description</c> of <c>results.json</c>).</summary>
    public static string Describe(ReportParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return string.Create(CultureInfo.InvariantCulture, $"Data: {parameters.Data}; costs: {parameters.Costs}; bootstrap seed {parameters.Seed}.")
            + string.Concat(parameters.Warnings.Select(w => " Warning: " + w));
    }

    /// <summary>Writes <c>results.json</c> (the parameters and every row) and <c>report.html</c> into <paramref name="directory"/>.</summary>
    /// <param name="directory">The output folder, created if missing.</param>
    /// <param name="title">The report's title.</param>
    /// <param name="parameters">The run's parameters.</param>
    /// <param name="runs">The scored runs, in leaderboard order.</param>
    /// <param name="highlighted">How many of the best strategies by Sharpe the plots draw strong and label.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>The two paths.</returns>
    public static async Task<(string Json, string Html)> WriteAsync(string directory, string title, ReportParameters parameters, IReadOnlyList<StrategyRun> runs, int highlighted = Charts.DefaultHighlighted, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(runs);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "results.json");
        var html = Path.Combine(directory, "report.html");
        var document = new ResultsDocument(title, Describe(parameters), parameters.Seed, parameters, runs.Select(r => r.Score).ToArray());
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(document, JsonOptions), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(html, HtmlReport.Render(title, parameters, runs, highlighted), cancellationToken).ConfigureAwait(false);
        return (json, html);
    }

    /// <summary>The shape of <c>results.json</c>.</summary>
    /// <param name="Title">What was compared.</param>
    /// <param name="Description">Data, costs and settings in one paragraph.</param>
    /// <param name="Seed">The bootstrap (and synthetic data) seed.</param>
    /// <param name="Parameters">The run's parameters, one by one, with the reproducing command.</param>
    /// <param name="Strategies">The leaderboard rows.</param>
    public sealed record ResultsDocument(
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("seed")] int Seed,
        [property: JsonPropertyName("parameters")] ReportParameters Parameters,
        [property: JsonPropertyName("strategies")] IReadOnlyList<StrategyScore> Strategies);
}
