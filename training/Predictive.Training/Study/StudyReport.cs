using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Predictive.Research.Metrics;

namespace Predictive.Training.Study;

/// <summary>Writes a <see cref="StudyResult"/> as a Markdown table (for docs) and as JSON.</summary>
public static class StudyReport
{
    /// <summary>
    /// One row per variant: overall out-of-sample Sharpe mean ± sample standard deviation across seeds, worst and best
    /// seed, the ensemble's Sharpe, the margin of the mean over 1/N, mean turnover, and each fold's mean Sharpe; then 1/N.
    /// </summary>
    public static string ToMarkdown(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = CultureInfo.InvariantCulture;
        var equal = result.EqualWeight.Overall;
        var sb = new StringBuilder();
        sb.Append("| variant | Sharpe mean ± sd (seeds) | worst / best seed | ensemble of seeds | mean − 1/N | turnover / yr |");
        for (var f = 0; f < result.FoldTests.Count; f++)
        {
            sb.Append(c, $" fold {f} |");
        }

        sb.AppendLine().Append("|---|---|---|---|---|---|");
        sb.Append(string.Concat(Enumerable.Repeat("---|", result.FoldTests.Count))).AppendLine();
        foreach (var v in result.Variants)
        {
            sb.Append(c, $"| {v.Name} | {v.MeanSharpe:F3} ± {v.SharpeSpread:F3} ({v.Seeds.Count}) | {v.MinSharpe:F3} / {v.MaxSharpe:F3} | {v.Ensemble.Overall.Sharpe:F3} | {v.MeanSharpe - equal.Sharpe:+0.000;−0.000} | {v.MeanTurnover:F2} |");
            for (var f = 0; f < result.FoldTests.Count; f++)
            {
                sb.Append(c, $" {v.Seeds.Average(s => s.Folds[f].Sharpe):F2} |");
            }

            sb.AppendLine();
        }

        sb.Append(c, $"| 1/N | {equal.Sharpe:F3} | | | | {equal.Turnover:F2} |");
        foreach (var fold in result.EqualWeight.Folds)
        {
            sb.Append(c, $" {fold.Sharpe:F2} |");
        }

        return sb.AppendLine().ToString();
    }

    /// <summary>The whole result, every seed's per-fold metrics included.</summary>
    public static JsonObject ToJson(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["fold_tests"] = new JsonArray([.. result.FoldTests.Select(t => JsonValue.Create(t))]),
            ["equal_weight"] = Outcome(result.EqualWeight),
            ["variants"] = new JsonArray([.. result.Variants.Select(v => (JsonNode)new JsonObject
            {
                ["name"] = v.Name,
                ["description"] = v.Description,
                ["sharpe_mean"] = v.MeanSharpe,
                ["sharpe_sd"] = v.SharpeSpread,
                ["sharpe_min"] = v.MinSharpe,
                ["sharpe_max"] = v.MaxSharpe,
                ["margin_over_equal_weight"] = v.MeanSharpe - result.EqualWeight.Overall.Sharpe,
                ["ensemble"] = Outcome(v.Ensemble),
                ["seeds"] = new JsonArray([.. v.Seeds.Select(s => (JsonNode)Outcome(s))]),
            })]),
        };
    }

    private static JsonObject Outcome(SeedOutcome s) => new()
    {
        ["seed"] = s.Seed,
        ["overall"] = Metrics(s.Overall),
        ["folds"] = new JsonArray([.. s.Folds.Select(f => (JsonNode)Metrics(f))]),
    };

    private static JsonNode Metrics(PerformanceMetrics m) => JsonNode.Parse(m.ToJson())!;
}
