using Predictive.Research.Comparison;
using Predictive.Research.Statistics;
using ScottPlot;

namespace Predictive.Research.Reporting;

/// <summary>The report's plots, rendered to SVG text with ScottPlot (no files, no browser scripts).</summary>
public static class Charts
{
    /// <summary>The most points drawn per series; longer series are thinned evenly (the last point is always kept).</summary>
    public const int MaxPoints = 600;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Equity curves of every run, on one chart.</summary>
    public static string Equity(IReadOnlyList<StrategyRun> runs, int width = 900, int height = 420)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        for (var k = 0; k < runs.Count; k++)
        {
            var r = runs[k].Result;
            var (xs, ys) = Thin(r.Times, r.Equity.ToArray());
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = Label(runs[k]);
            line.Color = Palette.GetColor(k);
            line.LineWidth = 1.5f;
        }

        return Finish(plot, "Equity (quote units, after costs)", "value", width, height, legend: runs.Count <= 12);
    }

    /// <summary>Drawdown curves of every run.</summary>
    public static string Drawdowns(IReadOnlyList<StrategyRun> runs, int width = 900, int height = 320)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        for (var k = 0; k < runs.Count; k++)
        {
            var r = runs[k].Result;
            var dd = ReturnStatistics.Drawdowns(r.Equity).Select(d => -d).ToArray();
            var (xs, ys) = Thin(r.Times, dd);
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = Label(runs[k]);
            line.Color = Palette.GetColor(k);
        }

        return Finish(plot, "Drawdown", "fraction below the running peak", width, height, legend: runs.Count <= 12);
    }

    /// <summary>The weights held over time, stacked, for one run.</summary>
    public static string Weights(StrategyRun run, int width = 900, int height = 300)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Result;
        var n = r.Assets.Count;
        var lower = new double[r.BarCount];
        var plot = new Plot();
        for (var a = 0; a < n; a++)
        {
            var upper = new double[r.BarCount];
            for (var t = 0; t < r.BarCount; t++)
            {
                upper[t] = lower[t] + r.Weights[(t * n) + a];
            }

            var (xs, lo) = Thin(r.Times, lower);
            var (_, hi) = Thin(r.Times, upper);
            var fill = plot.Add.FillY(xs, lo, hi);
            fill.FillStyle.Color = Palette.GetColor(a).WithAlpha(0.85);
            fill.LineStyle.Width = 0;
            fill.LegendText = r.Assets[a];
            lower = upper;
        }

        return Finish(plot, $"Weights: {Label(run)}", "weight", width, height, legend: n <= 24);
    }

    /// <summary>Total cost against tracking error, one point per run: the frontier across policies.</summary>
    public static string Frontier(IReadOnlyList<StrategyRun> runs, int width = 900, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var plot = new Plot();
        var allocators = runs.Select(r => r.Score.Allocator).Distinct(StringComparer.Ordinal).ToList();
        for (var k = 0; k < allocators.Count; k++)
        {
            var group = runs.Where(r => r.Score.Allocator == allocators[k]).OrderBy(r => r.Score.TrackingError).ToList();
            var points = plot.Add.Scatter(group.Select(r => r.Score.TrackingError).ToArray(), group.Select(r => r.Score.Costs).ToArray());
            points.LegendText = allocators[k];
            points.Color = Palette.GetColor(k);
            points.LineWidth = 1;
            points.MarkerSize = 7;
            foreach (var r in group)
            {
                var text = plot.Add.Text(r.Score.Policy, r.Score.TrackingError, r.Score.Costs);
                text.LabelFontSize = 10;
            }
        }

        plot.Title("Cost against tracking error, per policy");
        plot.XLabel("tracking error against the target (annualized)");
        plot.YLabel("total cost (gas + fee + impact, quote units)");
        plot.ShowLegend();
        return plot.GetSvgXml(width, height);
    }

    private static string Finish(Plot plot, string title, string yLabel, int width, int height, bool legend)
    {
        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.YLabel(yLabel);
        if (legend)
        {
            plot.ShowLegend();
        }

        return plot.GetSvgXml(width, height);
    }

    private static string Label(StrategyRun run) => $"{run.Score.Allocator} × {run.Score.Policy}";

    private static (double[] Xs, double[] Ys) Thin(IReadOnlyList<DateTimeOffset> times, double[] values)
    {
        var step = Math.Max(1, (int)Math.Ceiling(values.Length / (double)MaxPoints));
        var idx = Enumerable.Range(0, values.Length).Where(i => i % step == 0 || i == values.Length - 1).ToArray();
        return (idx.Select(i => times[i].UtcDateTime.ToOADate()).ToArray(), idx.Select(i => values[i]).ToArray());
    }
}
