using Predictive.Research.Comparison;
using Predictive.Research.Statistics;
using ScottPlot;

namespace Predictive.Research.Reporting;

/// <summary>
/// The report's plots, rendered to SVG with ScottPlot. Plots of many strategies draw the highlighted ones (the best by
/// Sharpe) strong in distinct colours and the rest faint grey, with no legend inside the plot: ScottPlot 5 shows a
/// legend whenever a plottable has legend text (its legend is visible by default), so the lines carry no legend text
/// and the report lists the highlighted strategies beside the plot, in <see cref="HighlightColor"/>.
/// </summary>
public static class Charts
{
    /// <summary>The most points drawn per series; longer series are thinned evenly (the last point is always kept).</summary>
    public const int MaxPoints = 600;

    /// <summary>How many strategies are highlighted by default.</summary>
    public const int DefaultHighlighted = 8;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();
    private static readonly Color Faint = Colors.Gray.WithAlpha(0.3);

    /// <summary>The indices of the <paramref name="count"/> runs with the highest Sharpe ratio, best first (NaN last).</summary>
    public static IReadOnlyList<int> TopBySharpe(IReadOnlyList<StrategyRun> runs, int count = DefaultHighlighted)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return [.. Enumerable.Range(0, runs.Count)
            .OrderByDescending(k => double.IsFinite(runs[k].Score.Sharpe) ? runs[k].Score.Sharpe : double.NegativeInfinity)
            .ThenBy(k => k)
            .Take(count)];
    }

    /// <summary>The colour of the highlighted strategy of rank <paramref name="rank"/> (0 = best), as <c>#rrggbb</c>.</summary>
    public static string HighlightColor(int rank) => Palette.GetColor(rank).ToHex()[..7];

    /// <summary>Equity curves: the highlighted runs strong, the rest faint.</summary>
    /// <param name="runs">Every run.</param>
    /// <param name="highlighted">Indices into <paramref name="runs"/>, best first; null means <see cref="TopBySharpe"/>.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static Chart Equity(IReadOnlyList<StrategyRun> runs, IReadOnlyList<int>? highlighted = null, int width = 900, int height = 420) =>
        Lines(runs, highlighted, r => r.Equity.ToArray(), "Equity (quote units, after costs)", "value", width, height);

    /// <summary>Drawdown curves: the highlighted runs strong, the rest faint.</summary>
    /// <param name="runs">Every run.</param>
    /// <param name="highlighted">Indices into <paramref name="runs"/>, best first; null means <see cref="TopBySharpe"/>.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    public static Chart Drawdowns(IReadOnlyList<StrategyRun> runs, IReadOnlyList<int>? highlighted = null, int width = 900, int height = 320) =>
        Lines(runs, highlighted, r => [.. ReturnStatistics.Drawdowns(r.Equity).Select(d => -d)], "Drawdown", "fraction below the running peak", width, height);

    /// <summary>One run's equity (strong) against a reference run (faint), for the per-strategy view.</summary>
    public static Chart StrategyEquity(StrategyRun run, StrategyRun reference, int width = 900, int height = 300)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(reference);
        var plot = new Plot();
        AddLine(plot, reference.Result.Times, reference.Result.Equity.ToArray(), Faint, 1.5f);
        AddLine(plot, run.Result.Times, run.Result.Equity.ToArray(), Palette.GetColor(0), 2f);
        plot.Axes.DateTimeTicksBottom();
        plot.Title($"Equity: {StrategyHoldings.LabelOf(run)} (grey: {StrategyHoldings.LabelOf(reference)})");
        plot.YLabel("value");
        plot.HideLegend();
        return Render(plot, width, height);
    }

    /// <summary>The weights held over time, stacked, for one run; the asset legend sits right of the plot.</summary>
    public static Chart Weights(StrategyRun run, int width = 900, int height = 300)
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
            fill.LegendText = n <= 24 ? r.Assets[a] : "";
            lower = upper;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title($"Weights: {StrategyHoldings.LabelOf(run)}");
        plot.YLabel("weight");
        OutsideLegend(plot, n <= 24);
        return Render(plot, width, height);
    }

    /// <summary>Total cost against tracking error, one point per run, one line per allocator (legend right of the plot).</summary>
    public static Chart Frontier(IReadOnlyList<StrategyRun> runs, int width = 900, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return Frontier([.. runs.Select(r => new FrontierPoint(r.Score.Allocator, r.Score.Policy, r.Score.TrackingError, r.Score.Costs))], null, width, height);
    }

    /// <summary>
    /// Cost against tracking error, one series per allocator with each point labelled by its policy; when
    /// <paramref name="onFrontier"/> is given, the frontier's points are also ringed and joined in orange. The chart's
    /// <see cref="Chart.Points"/> are where each point was drawn, in the order given.
    /// </summary>
    /// <param name="points">The strategies (a point with a non-finite coordinate is not drawn; its position is NaN).</param>
    /// <param name="onFrontier">For each point, whether it is on the frontier; null draws no frontier.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <exception cref="ArgumentException"><paramref name="onFrontier"/> has another length than <paramref name="points"/>.</exception>
    public static Chart Frontier(IReadOnlyList<FrontierPoint> points, IReadOnlyList<bool>? onFrontier, int width = 900, int height = 480)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (onFrontier is not null && onFrontier.Count != points.Count)
        {
            throw new ArgumentException($"{onFrontier.Count} frontier flags for {points.Count} points.", nameof(onFrontier));
        }

        var plot = new Plot();
        var allocators = points.Select(p => p.Allocator).Distinct(StringComparer.Ordinal).ToList();
        for (var k = 0; k < allocators.Count; k++)
        {
            var group = points.Where(p => p.Allocator == allocators[k]).OrderBy(p => p.TrackingError).ToList();
            var series = plot.Add.Scatter(group.Select(p => p.TrackingError).ToArray(), group.Select(p => p.Costs).ToArray());
            series.LegendText = allocators[k];
            series.Color = Palette.GetColor(k);
            series.LineWidth = 1;
            series.MarkerSize = 7;
            foreach (var p in group)
            {
                var text = plot.Add.Text(p.Policy, p.TrackingError, p.Costs);
                text.LabelFontSize = 10;
            }
        }

        if (onFrontier is not null && onFrontier.Any(on => on))
        {
            var frontier = points.Where((_, i) => onFrontier[i]).OrderBy(p => p.TrackingError).ToList();
            var ring = plot.Add.Scatter(frontier.Select(p => p.TrackingError).ToArray(), frontier.Select(p => p.Costs).ToArray());
            ring.LegendText = "frontier";
            ring.Color = Colors.OrangeRed;
            ring.LineWidth = 1.5f;
            ring.MarkerShape = MarkerShape.OpenCircle;
            ring.MarkerSize = 13;
        }

        plot.Title("Cost against tracking error, per policy");
        plot.XLabel("tracking error against the target (annualized)");
        plot.YLabel("total cost (gas + fee + impact, quote units)");
        OutsideLegend(plot, allocators.Count <= 24);
        var chart = Render(plot, width, height);
        return chart with { Points = [.. points.Select(p => Pixel(plot, p.TrackingError, p.Costs))] };
    }

    private static Chart Lines(IReadOnlyList<StrategyRun> runs, IReadOnlyList<int>? highlighted, Func<Predictive.Core.Backtesting.BacktestResult, double[]> values, string title, string yLabel, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(runs);
        highlighted ??= TopBySharpe(runs);
        var plot = new Plot();

        // Faint lines first, so the highlighted ones are drawn on top of them.
        var strong = highlighted.ToHashSet();
        for (var k = 0; k < runs.Count; k++)
        {
            if (!strong.Contains(k))
            {
                AddLine(plot, runs[k].Result.Times, values(runs[k].Result), Faint, 1f);
            }
        }

        for (var rank = highlighted.Count - 1; rank >= 0; rank--)
        {
            var r = runs[highlighted[rank]].Result;
            AddLine(plot, r.Times, values(r), Palette.GetColor(rank), 2f);
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.HideLegend();
        return Render(plot, width, height);
    }

    private static void AddLine(Plot plot, IReadOnlyList<DateTimeOffset> times, double[] values, Color color, float width)
    {
        var (xs, ys) = Thin(times, values);
        var line = plot.Add.ScatterLine(xs, ys);
        line.Color = color;
        line.LineWidth = width;
    }

    private static void OutsideLegend(Plot plot, bool show)
    {
        if (show)
        {
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.HideLegend();
        }
    }

    // Where the last render drew (x, y); NaN for a point that cannot be drawn.
    private static ChartPoint Pixel(Plot plot, double x, double y)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            return new ChartPoint(double.NaN, double.NaN);
        }

        var pixel = plot.GetPixel(new Coordinates(x, y));
        return new ChartPoint(pixel.X, pixel.Y);
    }

    private static Chart Render(Plot plot, int width, int height)
    {
        var svg = plot.GetSvgXml(width, height);
        var area = plot.RenderManager.LastRender.DataRect;
        return new Chart(svg, width, height, new ChartArea(area.Left, area.Top, area.Right, area.Bottom));
    }

    private static (double[] Xs, double[] Ys) Thin(IReadOnlyList<DateTimeOffset> times, double[] values)
    {
        var step = Math.Max(1, (int)Math.Ceiling(values.Length / (double)MaxPoints));
        var idx = Enumerable.Range(0, values.Length).Where(i => i % step == 0 || i == values.Length - 1).ToArray();
        return (idx.Select(i => times[i].UtcDateTime.ToOADate()).ToArray(), idx.Select(i => values[i]).ToArray());
    }
}
