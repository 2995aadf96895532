namespace Predictive.Research.Reporting;

/// <summary>A rendered plot: SVG text, its size, and where ScottPlot drew the data (axes excluded), in SVG pixels.</summary>
/// <param name="Svg">The SVG document.</param>
/// <param name="Width">Its width in pixels.</param>
/// <param name="Height">Its height in pixels.</param>
/// <param name="DataArea">The data area: left, top, right and bottom edges, in SVG pixels.</param>
public sealed record Chart(string Svg, int Width, int Height, ChartArea DataArea)
{
    /// <summary>Where the chart drew each of its data points, in SVG pixels, when it reports them (the frontier does); else empty.</summary>
    public IReadOnlyList<ChartPoint> Points { get; init; } = [];

    /// <summary>The SVG element alone, without the XML declaration (which HTML does not allow), scalable by CSS.</summary>
    public string InlineSvg()
    {
        var start = Svg.IndexOf("<svg", StringComparison.Ordinal);
        var svg = start >= 0 ? Svg[start..] : Svg;

        // ScottPlot writes width and height but no viewBox; with one, the browser scales the plot to its box.
        return svg.StartsWith("<svg ", StringComparison.Ordinal) && !svg.Contains("viewBox=", StringComparison.Ordinal)
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" ") + svg[5..]
            : svg;
    }
}

/// <summary>A rectangle in SVG pixels.</summary>
/// <param name="Left">Left edge.</param>
/// <param name="Top">Top edge.</param>
/// <param name="Right">Right edge.</param>
/// <param name="Bottom">Bottom edge.</param>
public readonly record struct ChartArea(double Left, double Top, double Right, double Bottom);

/// <summary>A point in SVG pixels.</summary>
/// <param name="X">From the left edge.</param>
/// <param name="Y">From the top edge.</param>
public readonly record struct ChartPoint(double X, double Y);

/// <summary>A strategy on the cost-versus-tracking-error plane (<see cref="Charts.Frontier(IReadOnlyList{FrontierPoint}, IReadOnlyList{bool}?, int, int)"/>).</summary>
/// <param name="Allocator">The allocator (one series each).</param>
/// <param name="Policy">The rebalancing policy (the point's label).</param>
/// <param name="TrackingError">Annualized tracking error against the target (x).</param>
/// <param name="Costs">Total cost in quote units (y).</param>
public sealed record FrontierPoint(string Allocator, string Policy, double TrackingError, double Costs);
