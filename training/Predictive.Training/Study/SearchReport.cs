using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;

namespace Predictive.Training.Study;

/// <summary>How the search's pick is judged against every trial ever recorded.</summary>
/// <param name="LedgerTrials">N: the trials in the ledger after this search recorded its own (the operator's included).</param>
/// <param name="DeflatedSharpe">The deflated Sharpe ratio of the outer chained returns with N trials and the ledger's Sharpe variance.</param>
public sealed record SearchVerdict(int LedgerTrials, double DeflatedSharpe);

/// <summary>Writes a <see cref="SearchResult"/> as JSON and as a self-contained HTML page.</summary>
public static class SearchReport
{
    /// <summary>The result, every trial included.</summary>
    public static JsonObject ToJson(SearchResult result, SearchVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(verdict);
        return new JsonObject
        {
            ["space_size"] = result.Space.Count,
            ["space"] = new JsonArray([.. result.Space.Select(s => JsonValue.Create(s))]),
            ["candidates"] = new JsonArray([.. result.Candidates.Select(s => JsonValue.Create(s))]),
            ["trials_this_search"] = result.Trials.Count,
            ["ledger_trials"] = verdict.LedgerTrials,
            ["deflated_sharpe"] = double.IsFinite(verdict.DeflatedSharpe) ? verdict.DeflatedSharpe : null,
            ["outer_overall"] = OutcomeFormat.Metrics(result.Overall),
            ["equal_weight_overall"] = OutcomeFormat.Metrics(result.EqualWeight),
            ["outer_outcome"] = result.Outcome is { } outcome ? OutcomeFormat.Json(outcome) : null,
            ["equal_weight_outcome"] = result.EqualWeightOutcome is { } equal ? OutcomeFormat.Json(equal) : null,
            ["classical"] = OutcomeFormat.ClassicalJson(result.Classical),
            ["goal"] = OutcomeFormat.VerdictJson(Goal(result, verdict)),
            ["configurations"] = new JsonObject([.. result.Configurations.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Configuration(p.Value)))]),
            ["outer_folds"] = new JsonArray([.. result.Outer.Select(o => (JsonNode)new JsonObject
            {
                ["fold"] = o.Fold,
                ["test"] = o.TestRange,
                ["chosen"] = o.Chosen,
                ["inner_sharpe"] = o.InnerSharpe,
                ["test_metrics"] = OutcomeFormat.Metrics(o.Test),
                ["equal_weight_test_metrics"] = OutcomeFormat.Metrics(o.EqualWeight),
            })]),
            ["trials"] = new JsonArray([.. result.Trials.Select(t => (JsonNode)new JsonObject
            {
                ["trial_id"] = t.TrialId,
                ["outer_fold"] = t.OuterFold,
                ["candidate"] = t.Candidate,
                ["window"] = t.Window,
                ["sharpe"] = t.Metrics.Sharpe,
                ["sharpe_per_bar"] = t.SharpePerBar,
                ["observations"] = t.Observations,
                ["skewness"] = t.Skewness,
                ["kurtosis"] = t.Kurtosis,
            })]),
        };
    }

    /// <summary>Issue 22's goal on the search's outer result: one seed (the search's), deflated by every ledger trial.</summary>
    public static GoalVerdict Goal(SearchResult result, SearchVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(verdict);
        return GoalVerdict.Judge("the search's outer picks", result.Overall.Sharpe, [result.Overall.Sharpe], result.EqualWeight.Sharpe, result.Classical, verdict.DeflatedSharpe, verdict.LedgerTrials);
    }

    /// <summary>A page with the verdict, the outer folds (choice, inner and outer Sharpe, 1/N) and every trial.</summary>
    public static string ToHtml(SearchResult result, SearchVerdict verdict, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(verdict);
        var c = CultureInfo.InvariantCulture;
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>predictive research search</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}td.l,th.l{text-align:left}</style></head><body>\n")
            .Append("<h1>Nested walk-forward search</h1>\n<p><code>").Append(Encode(commandLine)).Append("</code></p>\n")
            .Append(c, $"<p>{result.Candidates.Count} of {result.Space.Count} configurations drawn; {result.Trials.Count} trials in this search, {verdict.LedgerTrials} in the ledger. ")
            .Append(c, $"Outer out-of-sample Sharpe <b>{result.Overall.Sharpe:F3}</b> against 1/N <b>{result.EqualWeight.Sharpe:F3}</b>; deflated Sharpe over {verdict.LedgerTrials} trials <b>{verdict.DeflatedSharpe:F3}</b>.</p>\n")
            .Append("<p><b>").Append(Encode(Goal(result, verdict).Statement)).Append("</b></p>\n");
        if (result.Outcome is { } outcome && result.EqualWeightOutcome is { } equal)
        {
            h.Append(c, $"<h2>Outer blocks against 1/N and the classical allocators</h2>\n<p>{SharpeConfidence.Level:P0} stationary-bootstrap percentile intervals ({SharpeConfidence.Resamples} resamples, seed {SharpeConfidence.Seed}); holdings over every outer test bar.</p>\n")
                .Append(OutcomeFormat.Html(OutcomeFormat.Rows([("search (outer picks)", outcome)], equal, result.Classical), result.Outer.Count));
        }

        h.Append("<h2>Outer folds</h2>\n<table><tr><th>fold</th><th class=\"l\">test</th><th class=\"l\">chosen</th><th>inner Sharpe</th><th>outer Sharpe</th><th>1/N</th><th>turnover</th></tr>\n");
        foreach (var o in result.Outer)
        {
            h.Append(c, $"<tr><td>{o.Fold}</td><td class=\"l\">{Encode(o.TestRange)}</td><td class=\"l\">{Encode(o.Chosen)}</td><td>{o.InnerSharpe:F3}</td><td>{o.Test.Sharpe:F3}</td><td>{o.EqualWeight.Sharpe:F3}</td><td>{o.Test.Turnover:F2}</td></tr>\n");
        }

        h.Append("</table>\n<h2>Trials</h2>\n<table><tr><th>outer fold</th><th class=\"l\">configuration</th><th class=\"l\">inner window</th><th>Sharpe</th><th>turnover</th><th>max drawdown</th></tr>\n");
        foreach (var t in result.Trials)
        {
            h.Append(c, $"<tr><td>{t.OuterFold}</td><td class=\"l\">{Encode(t.Candidate)}</td><td class=\"l\">{Encode(t.Window)}</td><td>{t.Metrics.Sharpe:F3}</td><td>{t.Metrics.Turnover:F2}</td><td>{t.Metrics.MaxDrawdown:P1}</td></tr>\n");
        }

        return h.Append("</table>\n<p><small>Every figure is net of costs through Core's backtester (fee, constant-product impact, gas per swap) and the evaluation's rebalancing policy. The deflated Sharpe ratio (Bailey and López de Prado 2014) counts every trial in the ledger, the operator's challenger evaluations included.</small></p>\n</body></html>\n").ToString();
    }

    // A drawn configuration's settings, so a reader need not parse its name.
    private static JsonObject Configuration(TrainingOptions o) => new()
    {
        ["model"] = o.Model.ToString().ToLowerInvariant(),
        ["loss"] = o.Loss.ToString(),
        ["hidden"] = o.Hidden,
        ["learning_rate"] = o.LearningRate,
        ["epochs"] = o.Epochs,
        ["training_cost"] = o.Cost.ToString().ToLowerInvariant(),
        ["turnover_penalty"] = o.TurnoverPenalty,
        ["no_trade_band"] = o.NoTradeBand,
        ["anchor_tilt"] = o.Tilt,
        ["anchor"] = o.Anchor == TiltAnchor.MinVariance ? "min-variance" : "equal-weight",
        ["features"] = o.Spec is { } spec ? new JsonArray([.. spec.FeatureNames.Select(n => JsonValue.Create(n))]) : null,
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
