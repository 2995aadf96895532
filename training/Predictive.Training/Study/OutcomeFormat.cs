using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Predictive.Research.Metrics;

namespace Predictive.Training.Study;

/// <summary>The figures study and search reports share: an outcome as JSON, and a comparison table with intervals and holdings.</summary>
internal static class OutcomeFormat
{
    /// <summary>An outcome: its seed, metrics chained and per fold, intervals and holdings.</summary>
    public static JsonObject Json(SeedOutcome s)
    {
        var o = new JsonObject
        {
            ["seed"] = s.Seed,
            ["overall"] = Metrics(s.Overall),
            ["folds"] = new JsonArray([.. s.Folds.Select(f => (JsonNode)Metrics(f))]),
            ["margin_over_equal_weight"] = s.MarginOverEqualWeight,
        };
        if (s.Confidence is { } c)
        {
            o["confidence"] = new JsonObject
            {
                ["level"] = SharpeConfidence.Level,
                ["resamples"] = SharpeConfidence.Resamples,
                ["bootstrap_seed"] = SharpeConfidence.Seed,
                ["sharpe_overall"] = Interval(c.Overall),
                ["sharpe_folds"] = new JsonArray([.. c.Folds.Select(i => (JsonNode)Interval(i))]),
                ["margin_over_equal_weight_overall"] = c.MarginOverall is { } m ? Interval(m) : null,
                ["margin_over_equal_weight_folds"] = c.MarginFolds is { } mf ? new JsonArray([.. mf.Select(i => (JsonNode)Interval(i))]) : null,
            };
        }

        if (s.Holdings is { } h)
        {
            o["holdings"] = new JsonObject
            {
                ["mean_effective_n"] = h.MeanEffectiveN,
                ["max_weight"] = h.MaxWeight,
                ["mean_max_weight"] = h.MeanMaxWeight,
                ["bars"] = h.Bars,
            };
        }

        return o;
    }

    /// <summary>The classical allocators and which of them is best.</summary>
    public static JsonObject ClassicalJson(IReadOnlyList<ClassicalOutcome> classical) => new()
    {
        ["best"] = GoalVerdict.Best(classical)?.Name,
        ["allocators"] = new JsonArray([.. classical.Select(c =>
        {
            var o = Json(c.Outcome);
            o["name"] = c.Name;
            o["fallbacks"] = c.Fallbacks;
            return (JsonNode)o;
        })]),
    };

    /// <summary>A verdict as JSON.</summary>
    public static JsonObject VerdictJson(GoalVerdict v) => new()
    {
        ["candidate"] = v.Candidate,
        ["met"] = v.Met,
        ["sharpe"] = v.Sharpe,
        ["equal_weight_sharpe"] = v.EqualWeightSharpe,
        ["best_classical"] = v.BestClassical,
        ["best_classical_sharpe"] = double.IsFinite(v.BestClassicalSharpe) ? v.BestClassicalSharpe : null,
        ["worst_seed_sharpe"] = v.WorstSeedSharpe,
        ["seeds"] = v.Seeds,
        ["deflated_sharpe"] = double.IsFinite(v.DeflatedSharpe) ? v.DeflatedSharpe : null,
        ["trials"] = v.Trials,
        ["required_margin"] = GoalVerdict.RequiredMargin,
        ["required_deflated_sharpe"] = GoalVerdict.RequiredDeflated,
        ["statement"] = v.Statement,
    };

    /// <summary>The rows of a comparison table: a name and an outcome (the benchmark rows carry no margin).</summary>
    public static IEnumerable<(string Name, SeedOutcome Outcome)> Rows(IEnumerable<(string Name, SeedOutcome Outcome)> learned, SeedOutcome equal, IReadOnlyList<ClassicalOutcome> classical) =>
        learned.Append(("1/N", equal)).Concat(classical.Where(c => c.Name != "equal").Select(c => ("classical " + c.Name, c.Outcome)));

    /// <summary>
    /// A Markdown table: chained Sharpe with its 95 % interval, the margin over 1/N with its interval, each fold's
    /// Sharpe with its interval, turnover, and holdings (mean effective N, largest weight, mean largest weight).
    /// </summary>
    public static string Markdown(IEnumerable<(string Name, SeedOutcome Outcome)> rows, int folds) => Table(rows, folds, html: false);

    /// <summary>The same table as HTML.</summary>
    public static string Html(IEnumerable<(string Name, SeedOutcome Outcome)> rows, int folds) => Table(rows, folds, html: true);

    private static string Table(IEnumerable<(string Name, SeedOutcome Outcome)> rows, int folds, bool html)
    {
        var c = CultureInfo.InvariantCulture;
        var header = new List<string> { "strategy", "Sharpe [95 % CI]", "− 1/N [95 % CI]" };
        header.AddRange(Enumerable.Range(0, folds).Select(f => string.Create(c, $"fold {f} [95 % CI]")));
        header.AddRange(["turnover / yr", "effective N", "max weight", "mean max weight"]);
        var sb = new StringBuilder();
        if (html)
        {
            sb.Append("<table><tr>").AppendJoin(string.Empty, header.Select((h, i) => i == 0 ? $"<th class=\"l\">{h}</th>" : $"<th>{h}</th>")).Append("</tr>\n");
        }
        else
        {
            sb.Append("| ").AppendJoin(" | ", header).Append(" |\n|").Append(string.Concat(Enumerable.Repeat("---|", header.Count))).Append('\n');
        }

        foreach (var (name, o) in rows)
        {
            var cells = new List<string>
            {
                html ? WebUtility.HtmlEncode(name) : name,
                WithInterval(o.Overall.Sharpe, o.Confidence?.Overall),
                o.MarginOverEqualWeight is { } margin ? WithInterval(margin, o.Confidence?.MarginOverall) : string.Empty,
            };
            for (var f = 0; f < folds; f++)
            {
                cells.Add(f < o.Folds.Count ? WithInterval(o.Folds[f].Sharpe, o.Confidence?.Folds[f]) : string.Empty);
            }

            var h = o.Holdings;
            cells.AddRange([
                o.Overall.Turnover.ToString("F2", c),
                h is null ? string.Empty : h.MeanEffectiveN.ToString("F2", c),
                h is null ? string.Empty : h.MaxWeight.ToString("F3", c),
                h is null ? string.Empty : h.MeanMaxWeight.ToString("F3", c),
            ]);
            if (html)
            {
                sb.Append("<tr>").AppendJoin(string.Empty, cells.Select((x, i) => i == 0 ? $"<td class=\"l\">{x}</td>" : $"<td>{x}</td>")).Append("</tr>\n");
            }
            else
            {
                sb.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
            }
        }

        return sb.Append(html ? "</table>\n" : string.Empty).ToString();
    }

    private static string WithInterval(double value, ConfidenceInterval? interval) =>
        interval is null
            ? value.ToString("F3", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{value:F3} [{interval.Low:F2}, {interval.High:F2}]");

    private static JsonObject Interval(ConfidenceInterval i) => new() { ["low"] = i.Low, ["high"] = i.High };

    /// <summary>One set of metrics as JSON, as <see cref="PerformanceMetrics.ToJson"/> writes it.</summary>
    internal static JsonNode Metrics(PerformanceMetrics m) => JsonNode.Parse(m.ToJson())!;
}
