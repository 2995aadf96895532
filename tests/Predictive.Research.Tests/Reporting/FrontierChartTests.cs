using CsCheck;
using Predictive.Research.Reporting;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Reporting;

/// <summary>
/// <see cref="Charts.Frontier(IReadOnlyList{FrontierPoint}, IReadOnlyList{bool}?, int, int)"/> reports where ScottPlot drew each
/// point, which the dashboard puts its markers on: inside the data area, in the order of the data on both axes.
/// </summary>
[TestClass]
public sealed class FrontierChartTests
{
    [TestMethod]
    public void Frontier_AnyPoints_ReportsPositionsInsideTheDataAreaOrderedLikeTheData()
    {
        var points = Gen.Select(Gen.Double[0.001, 1.0], Gen.Double[0.0, 5000.0], Gen.Int[0, 2], Gen.Bool)
            .Select((te, cost, allocator, frontier) => (Point: new FrontierPoint($"a{allocator}", $"p{te:F3}", te, cost), Frontier: frontier))
            .Array[1, 12];
        points.Sample(
            sample =>
            {
                var chart = Charts.Frontier([.. sample.Select(s => s.Point)], [.. sample.Select(s => s.Frontier)], 700, 400);
                Assert.HasCount(sample.Length, chart.Points);
                var area = chart.DataArea;

                // Points far apart in the data (1 % of the largest value or more) are drawn apart.
                var (left, right) = (Array.FindIndex(sample, s => s.Point.TrackingError == sample.Min(t => t.Point.TrackingError)), Array.FindIndex(sample, s => s.Point.TrackingError == sample.Max(t => t.Point.TrackingError)));
                if (sample[right].Point.TrackingError - sample[left].Point.TrackingError > 0.01 * sample[right].Point.TrackingError)
                {
                    Assert.IsLessThan(chart.Points[right].X, chart.Points[left].X, "the smallest tracking error drawn left of the largest");
                }

                var (low, high) = (Array.FindIndex(sample, s => s.Point.Costs == sample.Min(t => t.Point.Costs)), Array.FindIndex(sample, s => s.Point.Costs == sample.Max(t => t.Point.Costs)));
                if (sample[high].Point.Costs - sample[low].Point.Costs > 0.01 * sample[high].Point.Costs)
                {
                    Assert.IsGreaterThan(chart.Points[high].Y, chart.Points[low].Y, "the smallest cost drawn below the largest");
                }

                for (var i = 0; i < sample.Length; i++)
                {
                    var p = chart.Points[i];
                    Assert.IsTrue(p.X >= area.Left - 0.5 && p.X <= area.Right + 0.5 && p.Y >= area.Top - 0.5 && p.Y <= area.Bottom + 0.5, $"point {i} at ({p.X}, {p.Y}) outside {area}");
                    for (var j = 0; j < sample.Length; j++)
                    {
                        if (sample[j].Point.TrackingError < sample[i].Point.TrackingError)
                        {
                            Assert.IsLessThanOrEqualTo(p.X, chart.Points[j].X, $"x of {j} vs {i}");
                        }

                        if (sample[j].Point.Costs < sample[i].Point.Costs)
                        {
                            Assert.IsGreaterThanOrEqualTo(p.Y, chart.Points[j].Y, $"y of {j} vs {i} (pixels grow downwards; a pixel may hold both)");
                        }
                    }
                }
            },
            seed: PropertySeed.Or("0N0XIzNsQ0O2"),
            iter: 20);
    }

    [TestMethod]
    public void Frontier_FlagsOfAnotherLength_ThrowsNamingBoth()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => Charts.Frontier([new FrontierPoint("a", "p", 0.1, 1)], [true, false]));
        StringAssert.Contains(e.Message, "2 frontier flags for 1 points");
    }
}
