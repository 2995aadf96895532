using System.Globalization;
using System.Net;
using System.Text;
using Predictive.Research.Comparison;

namespace Predictive.Research.Reporting;

/// <summary>
/// A self-contained HTML report of a comparison that stays readable with many strategies: the run's parameters, the
/// leaderboard, equity and drawdown plots with the best strategies by Sharpe drawn strong and listed in a legend beside
/// the plot (the rest faint), the cost-versus-tracking-error frontier, a holdings table, and a selector that shows any
/// one strategy's equity and weights. Plots are inline SVG and the selector is a few lines of inline script, so the
/// file needs nothing else to display.
/// </summary>
public static partial class HtmlReport
{
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1300px}table{border-collapse:collapse;font-size:13px}" +
        "th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}" +
        "tr.highlighted td:first-child{font-weight:600}.swatch{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle}" +
        ".chart{display:flex;align-items:flex-start;gap:16px;margin:1em 0}.chart figure{flex:1 1 900px;min-width:0;margin:0}" +
        "figure{margin:1em 0}svg{max-width:100%;height:auto;display:block}" +
        ".legend{flex:0 0 260px;list-style:none;margin:0;padding:8px;border:1px solid #ddd;font-size:13px}.legend li{margin:3px 0}" +
        "dl.parameters{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dl.parameters dt{font-weight:600}dl.parameters dd{margin:0}" +
        "code{background:#f5f5f5;padding:2px 4px;word-break:break-all}";

    private const string SelectorScript =
        "var s=document.getElementById('strategy-select');if(s){s.addEventListener('change',function(e){" +
        "document.querySelectorAll('.strategy').forEach(function(d){d.hidden=d.id!=='strategy-'+e.target.value;});});}";

    /// <summary>Renders the report.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="parameters">What was run: data, costs, allocators, policies, seed, the reproducing command.</param>
    /// <param name="runs">The scored runs, in leaderboard order.</param>
    /// <param name="highlighted">How many of the best strategies by Sharpe are drawn strong and listed in the legends.</param>
    public static string Render(string title, ReportParameters parameters, IReadOnlyList<StrategyRun> runs, int highlighted = Charts.DefaultHighlighted)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(highlighted);
        var top = Charts.TopBySharpe(runs, highlighted);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title))
            .Append("</title>\n<style>").Append(Style).Append("</style></head><body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n");
        Parameters(html, parameters, runs.Count);
        Leaderboard(html, runs, top);
        html.Append("<h2>Equity curves</h2>\n");
        LegendChart(html, "equity", Charts.Equity(runs, top), runs, top);
        html.Append("<h2>Drawdowns</h2>\n");
        LegendChart(html, "drawdowns", Charts.Drawdowns(runs, top), runs, top);
        html.Append("<h2>Cost against tracking error</h2>\n");
        Figure(html, "frontier", Charts.Frontier(runs));
        Holdings(html, runs, top);
        Selector(html, runs, top);
        html.Append("<p><small>Sharpe ratios are annualized with a zero risk-free rate; confidence intervals come from the stationary bootstrap (Politis and Romano 1994); the deflated Sharpe ratio (Bailey and López de Prado 2014) treats every compared strategy as one trial. Tracking error is measured against the frictionless target. Effective N is 1 / Σw² of the held weights, rescaled to sum to 1 over the traded assets (1 when all in one asset, n when equal).</small></p>\n")
            .Append("<script>").Append(SelectorScript).Append("</script>\n</body></html>\n");
        return html.ToString();
    }

    private static void Parameters(StringBuilder html, ReportParameters p, int strategies)
    {
        html.Append("<section id=\"parameters\"><h2>Run parameters</h2>\n<dl class=\"parameters\">");
        Item(html, "Data", Encode(p.Data));
        Item(html, "Costs", Encode(p.Costs));
        Item(html, "Allocators", Encode(string.Join(", ", p.Allocators)));
        Item(html, "Policies", Encode(string.Join(", ", p.Policies)));
        Item(html, "Strategies", strategies.ToString(CultureInfo.InvariantCulture));
        Item(html, "Seed", p.Seed.ToString(CultureInfo.InvariantCulture));
        Item(html, "Reproduce with", $"<code id=\"command\">{Encode(p.Command)}</code>");
        foreach (var w in p.Warnings)
        {
            Item(html, "Warning", Encode(w));
        }

        html.Append("</dl></section>\n");

        static void Item(StringBuilder html, string term, string value) => html.Append("<dt>").Append(term).Append("</dt><dd>").Append(value).Append("</dd>");
    }

    private static void Leaderboard(StringBuilder html, IReadOnlyList<StrategyRun> runs, IReadOnlyList<int> top)
    {
        html.Append("<h2>Leaderboard</h2>\n<table id=\"leaderboard\"><tr><th class=\"l\">allocator</th><th class=\"l\">policy</th><th>Sharpe</th><th>95% CI</th><th>deflated SR</th><th>Sortino</th><th>CAGR</th><th>max DD</th><th>turnover/yr</th><th>gas</th><th>fee</th><th>impact</th><th>TE</th><th>trades</th></tr>\n");
        for (var k = 0; k < runs.Count; k++)
        {
            var s = runs[k].Score;
            var rank = IndexOf(top, k);
            html.Append(rank >= 0 ? "<tr class=\"highlighted\">" : "<tr>")
                .Append("<td class=\"l\">").Append(rank >= 0 ? Swatch(rank) : "").Append(Encode(s.Allocator)).Append("</td>")
                .Append(Inv($"<td class=\"l\">{Encode(s.Policy)}</td><td>{s.Sharpe:F2}</td><td>[{s.SharpeCiLow:F2}, {s.SharpeCiHigh:F2}]</td><td>{s.DeflatedSharpe:F3}</td><td>{s.Sortino:F2}</td><td>{s.Cagr:P1}</td><td>{s.MaxDrawdown:P1}</td><td>{s.Turnover:F2}</td><td>{s.CostsGas:N0}</td><td>{s.CostsFee:N0}</td><td>{s.CostsImpact:N0}</td><td>{s.TrackingError:P2}</td><td>{s.Trades}</td></tr>\n"));
        }

        html.Append("</table>\n");
    }

    private static void LegendChart(StringBuilder html, string name, Chart chart, IReadOnlyList<StrategyRun> runs, IReadOnlyList<int> top)
    {
        html.Append("<div class=\"chart\">");
        Figure(html, name, chart);
        html.Append("<ul class=\"legend\" data-chart=\"").Append(name).Append("\">");
        for (var rank = 0; rank < top.Count; rank++)
        {
            var run = runs[top[rank]];
            html.Append("<li>").Append(Swatch(rank)).Append("<span class=\"name\">").Append(Encode(StrategyHoldings.LabelOf(run))).Append("</span>")
                .Append(Inv($" <small>(Sharpe {run.Score.Sharpe:F2})</small></li>"));
        }

        html.Append(Inv($"<li><span class=\"swatch\" style=\"background:#bbb\"></span><small>{runs.Count - top.Count} others, faint; pick one below</small></li></ul></div>\n"));
    }

    /// <summary>The SVG in a figure that records its pixel size and data area, so a browser test can map it to the page.</summary>
    private static void Figure(StringBuilder html, string name, Chart chart)
    {
        var a = chart.DataArea;
        html.Append(Inv($"<figure class=\"plot\" data-chart=\"{name}\" data-size=\"{chart.Width} {chart.Height}\" data-area=\"{a.Left:F1} {a.Top:F1} {a.Right:F1} {a.Bottom:F1}\">"))
            .Append(chart.InlineSvg()).Append("</figure>\n");
    }

    private static string Swatch(int rank) => $"<span class=\"swatch\" style=\"background:{Charts.HighlightColor(rank)}\"></span>";

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
