using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

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

        sb.AppendLine();
        if (result.Variants.Any(v => v.Ensemble.Confidence is not null))
        {
            sb.AppendLine().Append(c, $"Ensembles of seeds, 1/N and every classical allocator on the same blocks; intervals are {SharpeConfidence.Level:P0} stationary-bootstrap percentile intervals ({SharpeConfidence.Resamples} resamples, seed {SharpeConfidence.Seed}); holdings over every test bar:").AppendLine().AppendLine();
            sb.Append(OutcomeFormat.Markdown(OutcomeFormat.Rows(result.Variants.Select(v => (v.Name + " (ensemble)", v.Ensemble)), result.EqualWeight, result.Classical), result.FoldTests.Count));
        }

        if (GoalVerdict.Best(result.Classical) is { } best)
        {
            sb.AppendLine().Append(c, $"Best classical allocator: **{best.Name}** (Sharpe {best.Outcome.Overall.Sharpe:F3}). Best learned: **{result.Winner.Name}** (ensemble {result.Winner.Ensemble.Overall.Sharpe:F3}, effective N {result.Winner.Ensemble.Holdings?.MeanEffectiveN:F2}, largest weight {result.Winner.Ensemble.Holdings?.MaxWeight:F3}).").AppendLine();
        }

        var verdicts = result.Variants.Where(v => v.Verdict is not null).ToList();
        if (verdicts.Count > 0)
        {
            sb.AppendLine();
            foreach (var v in verdicts)
            {
                sb.Append("* ").Append(v.Verdict!.Statement).AppendLine();
            }
        }

        return sb.ToString();
    }

    /// <summary>The whole result, every seed's per-fold metrics included.</summary>
    public static JsonObject ToJson(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JsonObject
        {
            ["fold_tests"] = new JsonArray([.. result.FoldTests.Select(t => JsonValue.Create(t))]),
            ["equal_weight"] = OutcomeFormat.Json(result.EqualWeight),
            ["variants"] = new JsonArray([.. result.Variants.Select(v => (JsonNode)new JsonObject
            {
                ["name"] = v.Name,
                ["description"] = v.Description,
                ["sharpe_mean"] = v.MeanSharpe,
                ["sharpe_sd"] = v.SharpeSpread,
                ["sharpe_min"] = v.MinSharpe,
                ["sharpe_max"] = v.MaxSharpe,
                ["margin_over_equal_weight"] = v.MeanSharpe - result.EqualWeight.Overall.Sharpe,
                ["ensemble"] = OutcomeFormat.Json(v.Ensemble),
                ["ensemble_deflated_sharpe"] = double.IsFinite(v.DeflatedSharpe) ? v.DeflatedSharpe : null,
                ["verdict"] = v.Verdict is { } verdict ? OutcomeFormat.VerdictJson(verdict) : null,
                ["seeds"] = new JsonArray([.. v.Seeds.Select(s => (JsonNode)OutcomeFormat.Json(s))]),
            })]),
            ["classical"] = OutcomeFormat.ClassicalJson(result.Classical),
            ["trials"] = result.Trials,
            ["winner"] = result.Variants.Count > 0 ? result.Winner.Name : null,
        };
    }
}
