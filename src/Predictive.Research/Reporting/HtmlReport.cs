using System.Globalization;
using System.Net;
using System.Text;
using Predictive.Research.Comparison;

namespace Predictive.Research.Reporting;

/// <summary>
/// A self-contained HTML report of a comparison: the leaderboard, equity curves, drawdowns, the cost-versus-tracking-error
/// frontier and a weights chart per strategy. Plots are inline SVG, so the file needs nothing else to display.
/// </summary>
public static class HtmlReport
{
    /// <summary>Renders the report.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="description">One paragraph on what was compared (data, costs, seed).</param>
    /// <param name="runs">The scored runs, in leaderboard order.</param>
    public static string Render(string title, string description, IReadOnlyList<StrategyRun> runs)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(description);
        ArgumentNullException.ThrowIfNull(runs);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title>\n<style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;font-size:13px}")
            .Append("th,td{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}")
            .Append("figure{margin:1em 0}svg{max-width:100%;height:auto}</style></head><body>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n<p>").Append(Encode(description)).Append("</p>\n");
        html.Append("<h2>Leaderboard</h2>\n<table><tr><th class=\"l\">allocator</th><th class=\"l\">policy</th><th>Sharpe</th><th>95% CI</th><th>deflated SR</th><th>Sortino</th><th>CAGR</th><th>max DD</th><th>turnover/yr</th><th>gas</th><th>fee</th><th>impact</th><th>TE</th><th>trades</th></tr>\n");
        foreach (var s in runs.Select(r => r.Score))
        {
            html.Append(Inv($"<tr><td class=\"l\">{Encode(s.Allocator)}</td><td class=\"l\">{Encode(s.Policy)}</td><td>{s.Sharpe:F2}</td><td>[{s.SharpeCiLow:F2}, {s.SharpeCiHigh:F2}]</td><td>{s.DeflatedSharpe:F3}</td><td>{s.Sortino:F2}</td><td>{s.Cagr:P1}</td><td>{s.MaxDrawdown:P1}</td><td>{s.Turnover:F2}</td><td>{s.CostsGas:N0}</td><td>{s.CostsFee:N0}</td><td>{s.CostsImpact:N0}</td><td>{s.TrackingError:P2}</td><td>{s.Trades}</td></tr>\n"));
        }

        html.Append("</table>\n");
        Figure(html, "Equity curves", Charts.Equity(runs));
        Figure(html, "Drawdowns", Charts.Drawdowns(runs));
        Figure(html, "Cost against tracking error", Charts.Frontier(runs));
        html.Append("<h2>Weights per strategy</h2>\n");
        foreach (var run in runs)
        {
            Figure(html, null, Charts.Weights(run));
        }

        html.Append("<p><small>Sharpe ratios are annualized with a zero risk-free rate; confidence intervals come from the stationary bootstrap (Politis and Romano 1994); the deflated Sharpe ratio (Bailey and López de Prado 2014) treats every compared strategy as one trial. Tracking error is measured against the frictionless target.</small></p>\n</body></html>\n");
        return html.ToString();
    }

    private static void Figure(StringBuilder html, string? heading, string svg)
    {
        if (heading is not null)
        {
            html.Append("<h2>").Append(Encode(heading)).Append("</h2>\n");
        }

        // ScottPlot's SVG starts with an XML declaration, which is not allowed inside HTML.
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        html.Append("<figure>").Append(start >= 0 ? svg[start..] : svg).Append("</figure>\n");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
