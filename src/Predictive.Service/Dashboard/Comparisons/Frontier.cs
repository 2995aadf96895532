namespace Predictive.Service.Dashboard.Comparisons;

/// <summary>The cost-versus-tracking-error frontier: the points no other point beats on both (lower is better on each).</summary>
internal static class Frontier
{
    /// <summary>For each point, whether it is on the frontier; a point with a missing coordinate never is.</summary>
    public static bool[] Of(IReadOnlyList<(double? Cost, double? TrackingError)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var on = new bool[points.Count];

        // Sorted by cost then tracking error, a point is on the frontier when its tracking error is below every cheaper one's.
        var order = Enumerable.Range(0, points.Count)
            .Where(i => points[i].Cost is not null && points[i].TrackingError is not null)
            .OrderBy(i => points[i].Cost!.Value)
            .ThenBy(i => points[i].TrackingError!.Value)
            .ToList();
        var best = double.PositiveInfinity;
        for (var k = 0; k < order.Count; k++)
        {
            var i = order[k];
            var tracking = points[i].TrackingError!.Value;

            // An exact duplicate of a frontier point is on it too.
            var duplicate = k > 0 && on[order[k - 1]] && points[order[k - 1]] == points[i];
            if (tracking < best || duplicate)
            {
                on[i] = true;
                best = tracking;
            }
        }

        return on;
    }
}
