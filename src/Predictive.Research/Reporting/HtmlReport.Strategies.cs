using System.Text;
using Predictive.Research.Comparison;

namespace Predictive.Research.Reporting;

/// <summary>The per-strategy parts of the report: the holdings table and the strategy selector.</summary>
public static partial class HtmlReport
{
    /// <summary>How many holdings the table names per strategy.</summary>
    public const int TopHoldings = 3;

    private static void Holdings(StringBuilder html, IReadOnlyList<StrategyRun> runs, IReadOnlyList<int> top)
    {
        html.Append("<h2>Holdings</h2>\n<table id=\"holdings\"><tr><th class=\"l\">strategy</th>")
            .Append(Inv($"<th class=\"l\">average top {TopHoldings}</th><th class=\"l\">final top {TopHoldings}</th>"))
            .Append("<th>effective N (avg)</th><th>effective N (final)</th><th>largest weight</th><th>turnover/yr</th></tr>\n");
        for (var k = 0; k < runs.Count; k++)
        {
            var h = StrategyHoldings.From(runs[k]);
            var rank = IndexOf(top, k);
            html.Append(rank >= 0 ? "<tr class=\"highlighted\">" : "<tr>")
                .Append("<td class=\"l\">").Append(rank >= 0 ? Swatch(rank) : "").Append(Encode(h.Label)).Append("</td>")
                .Append(Inv($"<td class=\"l\">{Encode(h.DescribeAverageTop(TopHoldings))}</td><td class=\"l\">{Encode(h.DescribeFinalTop(TopHoldings))}</td><td>{h.AverageEffectiveN:F2}</td><td>{h.FinalEffectiveN:F2}</td><td>{h.LargestWeight:P1}</td><td>{h.Turnover:F2}</td></tr>\n"));
        }

        html.Append("</table>\n");
    }

    private static void Selector(StringBuilder html, IReadOnlyList<StrategyRun> runs, IReadOnlyList<int> top)
    {
        if (runs.Count == 0)
        {
            return;
        }

        var best = runs[top.Count > 0 ? top[0] : 0];
        html.Append("<h2>Any strategy</h2>\n<p><label>Strategy <select id=\"strategy-select\">");
        for (var k = 0; k < runs.Count; k++)
        {
            html.Append(Inv($"<option value=\"{k}\">{Encode(StrategyHoldings.LabelOf(runs[k]))}</option>"));
        }

        html.Append("</select></label> shows its equity (against the best by Sharpe, grey) and the weights it held.</p>\n");
        for (var k = 0; k < runs.Count; k++)
        {
            html.Append(Inv($"<div class=\"strategy\" id=\"strategy-{k}\"")).Append(k == 0 ? ">" : " hidden>");
            Figure(html, "strategy-equity", Charts.StrategyEquity(runs[k], best));
            Figure(html, "weights", Charts.Weights(runs[k]));
            html.Append("</div>\n");
        }
    }
}
