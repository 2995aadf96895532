using CsCheck;
using Predictive.Service.Dashboard.Comparisons;
using Predictive.Tests.Shared;

namespace Predictive.Service.Tests.Dashboard;

[TestClass]
public sealed class FrontierTests
{
    [TestMethod]
    public void Of_AnyPoints_MarksExactlyThoseNoOtherPointDominates()
    {
        // Few distinct values, so ties and exact duplicates are common; some coordinates missing.
        var coordinate = Gen.Int[0, 6].Select(v => (double?)v);
        var maybe = Gen.Frequency((9, coordinate), (1, Gen.Const((double?)null)));
        Gen.Select(maybe, maybe).Array[0, 25].Sample(points =>
        {
            var on = Frontier.Of(points);

            for (var i = 0; i < points.Length; i++)
            {
                var (c, t) = points[i];
                var dominated = points.Any(q => q.Item1 <= c && q.Item2 <= t && (q.Item1 < c || q.Item2 < t));
                var expected = c is not null && t is not null && !dominated;
                Assert.AreEqual(expected, on[i], $"point {i} ({c}, {t}) of [{string.Join(", ", points)}]");
            }
        }, iter: 5_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }
}
