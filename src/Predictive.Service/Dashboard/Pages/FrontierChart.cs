using System.Globalization;
using System.Text;
using Predictive.Service.Dashboard.Comparisons;

namespace Predictive.Service.Dashboard.Pages;

/// <summary>
/// The cost-versus-tracking-error chart as inline SVG: one point per strategy (its name in a tooltip), the frontier
/// points joined and labelled. Tracking error on x, total cost on y, as in the comparison report.
/// </summary>
internal static class FrontierChart
{
    private const double Width = 760, Height = 380, Left = 78, Right = 24, Top = 16, Bottom = 48;

    /// <summary>The chart, or a sentence when no row has both values.</summary>
    public static string Render(ComparisonResults results)
    {
        var points = results.Rows
            .Select(r => (Row: r, X: r.Values.GetValueOrDefault(ComparisonSource.TrackingError), Y: r.Values.GetValueOrDefault(ComparisonSource.Costs)))
            .Where(p => p.X is not null && p.Y is not null)
            .Select(p => (p.Row, X: p.X!.Value, Y: p.Y!.Value))
            .ToList();
        if (points.Count == 0)
        {
            return $"<p>No strategy has both '{ComparisonSource.Costs}' and '{ComparisonSource.TrackingError}', so there is no frontier to draw.</p>";
        }

        var (x0, x1) = Range(points.Select(p => p.X));
        var (y0, y1) = Range(points.Select(p => p.Y));
        double Px(double x) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));
        double Py(double y) => Height - Bottom - ((y - y0) / (y1 - y0) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(Inv($"<figure data-chart=\"frontier\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"Cost against tracking error\">"));
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fbfcfd\" stroke=\"#c5ccd6\"/>"));
        foreach (var x in Ticks(x0, x1))
        {
            svg.Append(Inv($"<text x=\"{Px(x):F1}\" y=\"{Height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#5a6478\">{Tick(x)}</text>"));
        }

        foreach (var y in Ticks(y0, y1))
        {
            svg.Append(Inv($"<text x=\"{Left - 6}\" y=\"{Py(y) + 4:F1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5a6478\">{Tick(y)}</text>"));
            svg.Append(Inv($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Py(y):F1}\" y2=\"{Py(y):F1}\" stroke=\"#eceff3\"/>"));
        }

        svg.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 10}\" font-size=\"12\" text-anchor=\"middle\">tracking error against the target (annualized)</text>"));
        svg.Append(Inv($"<text transform=\"translate(16 {(Top + Height - Bottom) / 2}) rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">total cost (quote units)</text>"));

        var frontier = points.Where(p => p.Row.OnFrontier).OrderBy(p => p.X).ToList();
        if (frontier.Count > 1)
        {
            svg.Append("<polyline fill=\"none\" stroke=\"#d9480f\" stroke-width=\"1.5\" points=\"").AppendJoin(' ', frontier.Select(p => Inv($"{Px(p.X):F1},{Py(p.Y):F1}"))).Append("\"/>");
        }

        foreach (var p in points)
        {
            var label = Html.E($"{p.Row.Allocator} × {p.Row.Policy}");
            svg.Append(Inv($"<circle cx=\"{Px(p.X):F1}\" cy=\"{Py(p.Y):F1}\" r=\"{(p.Row.OnFrontier ? 5 : 3.5)}\" fill=\"{(p.Row.OnFrontier ? "#d9480f" : "#4c6ef5")}\" fill-opacity=\"0.8\" data-x=\"{Html.Exact(p.X)}\" data-y=\"{Html.Exact(p.Y)}\" data-frontier=\"{(p.Row.OnFrontier ? "true" : "false")}\">"))
                .Append("<title>").Append(label).Append("</title></circle>");
            if (p.Row.OnFrontier)
            {
                // Labels of points in the right half go to their left, so they stay inside the plot.
                var right = Px(p.X) > (Left + Width - Right) / 2;
                svg.Append(Inv($"<text x=\"{Px(p.X) + (right ? -7 : 7):F1}\" y=\"{Py(p.Y) - 7:F1}\" font-size=\"10\" fill=\"#862e09\" text-anchor=\"{(right ? "end" : "start")}\">")).Append(label).Append("</text>");
            }
        }

        svg.Append("</svg><figcaption>Each point is a strategy; orange points are on the frontier (no other strategy has both lower cost and lower tracking error).</figcaption></figure>");
        return svg.ToString();
    }

    // A range on round steps (1, 2 or 5 times a power of ten) that holds every value, never empty.
    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        double low = list.Min(), high = list.Max();
        if (high <= low)
        {
            var pad = Math.Max(Math.Abs(high) * 0.1, 1e-9);
            (low, high) = (low - pad, high + pad);
        }

        var step = Step(low, high);
        return (Math.Floor(low / step) * step, Math.Ceiling(high / step) * step);
    }

    private static double Step(double low, double high)
    {
        var raw = (high - low) / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var unit = raw / magnitude;
        return magnitude * (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 5 ? 5 : 10);
    }

    private static IEnumerable<double> Ticks(double low, double high)
    {
        var step = Step(low, high);
        for (var k = 0; low + (k * step) <= high + (step * 1e-9); k++)
        {
            yield return low + (k * step);
        }
    }

    private static string Tick(double value) => Math.Round(value, 12).ToString("G6", CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
