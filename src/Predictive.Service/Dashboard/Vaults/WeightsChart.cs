using Predictive.Research.Reporting;
using ScottPlot;

namespace Predictive.Service.Dashboard.Vaults;

/// <summary>
/// A vault's target against actual weights over its passes, drawn by ScottPlot as the research report's charts are: one
/// colour per symbol, the actual weight solid with markers and the target dashed.
/// </summary>
internal static class WeightsChart
{
    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>The chart of <paramref name="samples"/> (oldest first), inline SVG.</summary>
    public static string Svg(IReadOnlyList<WeightSample> samples, int width = 860, int height = 340)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var plot = new Plot();
        var xs = samples.Select(s => s.Time.UtcDateTime.ToOADate()).ToArray();
        var symbols = samples.SelectMany(s => s.Targets.Keys.Concat(s.Actual.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        for (var k = 0; k < symbols.Count; k++)
        {
            var color = Palette.GetColor(k);
            var actual = plot.Add.Scatter(xs, samples.Select(s => s.Actual.GetValueOrDefault(symbols[k])).ToArray());
            actual.Color = color;
            actual.LineWidth = 2;
            actual.MarkerSize = 6;
            actual.LegendText = symbols[k];
            var target = plot.Add.Scatter(xs, samples.Select(s => s.Targets.GetValueOrDefault(symbols[k])).ToArray());
            target.Color = color;
            target.LineWidth = 1.5f;
            target.LinePattern = LinePattern.Dashed;
            target.MarkerSize = 0;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title("Actual (solid) against target (dashed) weights, per pass");
        plot.YLabel("weight");
        plot.ShowLegend(Edge.Right);
        var svg = plot.GetSvgXml(width, height);
        var area = plot.RenderManager.LastRender.DataRect;
        return new Chart(svg, width, height, new ChartArea(area.Left, area.Top, area.Right, area.Bottom)).InlineSvg();
    }
}
