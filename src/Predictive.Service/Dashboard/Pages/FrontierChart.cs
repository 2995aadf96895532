using System.Globalization;
using System.Text;
using Predictive.Research.Reporting;
using Predictive.Service.Dashboard.Comparisons;

namespace Predictive.Service.Dashboard.Pages;

/// <summary>
/// The cost-versus-tracking-error chart of a comparison: the research report's own plot (<see cref="Charts.Frontier(IReadOnlyList{FrontierPoint}, IReadOnlyList{bool}?, int, int)"/>,
/// ScottPlot, inline SVG) with the frontier ringed, and over each point a transparent marker carrying the strategy's
/// name (tooltip), its exact values and whether it is on the frontier (<c>data-frontier</c>), where ScottPlot drew it.
/// </summary>
internal static class FrontierChart
{
    private const int Width = 860, Height = 440;

    /// <summary>The chart, or a sentence when no row has both values.</summary>
    public static string Render(ComparisonResults results)
    {
        var rows = results.Rows
            .Select(r => (Row: r, X: r.Values.GetValueOrDefault(ComparisonSource.TrackingError), Y: r.Values.GetValueOrDefault(ComparisonSource.Costs)))
            .Where(p => p.X is not null && p.Y is not null)
            .Select(p => (p.Row, X: p.X!.Value, Y: p.Y!.Value))
            .ToList();
        if (rows.Count == 0)
        {
            return $"<p>No strategy has both '{ComparisonSource.Costs}' and '{ComparisonSource.TrackingError}', so there is no frontier to draw.</p>";
        }

        var chart = Charts.Frontier([.. rows.Select(r => new FrontierPoint(r.Row.Allocator, r.Row.Policy, r.X, r.Y))], [.. rows.Select(r => r.Row.OnFrontier)], Width, Height);
        var svg = chart.InlineSvg();
        var end = svg.LastIndexOf("</svg>", StringComparison.Ordinal);
        var markers = new StringBuilder("<g class=\"hit\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (row, x, y) = rows[i];
            markers.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{chart.Points[i].X:F1}\" cy=\"{chart.Points[i].Y:F1}\" r=\"7\" fill=\"transparent\" data-x=\"{Html.Exact(x)}\" data-y=\"{Html.Exact(y)}\" data-frontier=\"{(row.OnFrontier ? "true" : "false")}\">")
                .Append("<title>").Append(Html.E($"{row.Allocator} × {row.Policy}: tracking error {Html.Number(x)}, cost {Html.Number(y)}{(row.OnFrontier ? " (frontier)" : "")}")).Append("</title></circle>");
        }

        return new StringBuilder("<figure data-chart=\"frontier\">")
            .Append(svg, 0, end).Append(markers).Append("</g>").Append(svg, end, svg.Length - end)
            .Append("<figcaption>Each point is a strategy (one colour per allocator, labelled with its policy); ringed orange points are on the frontier (no other strategy has both lower cost and lower tracking error). Hover a point for its values.</figcaption></figure>")
            .ToString();
    }
}
