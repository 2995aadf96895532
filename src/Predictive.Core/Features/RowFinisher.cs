namespace Predictive.Core.Features;

/// <summary>The last step of every bar in both builders: cross-sectional normalization, then the availability mask.</summary>
internal static class RowFinisher
{
    /// <summary>Normalizes the z-scored columns of one bar and marks which assets are available.</summary>
    /// <param name="plan">The compiled spec.</param>
    /// <param name="closes">The bar's closes, one per asset.</param>
    /// <param name="row">The bar's features, [asset, feature].</param>
    /// <param name="available">Written: finite positive close and every feature finite.</param>
    public static void Finish(FeaturePlan plan, ReadOnlySpan<double> closes, Span<double> row, Span<bool> available)
    {
        var f = plan.FeatureCount;
        var n = closes.Length;
        foreach (var c in plan.ZScoreColumns)
        {
            var sum = 0.0;
            var count = 0;
            for (var a = 0; a < n; a++)
            {
                var x = row[(a * f) + c];
                if (double.IsFinite(x))
                {
                    sum += x;
                    count++;
                }
            }

            var mean = count > 0 ? sum / count : 0;
            var squares = 0.0;
            for (var a = 0; a < n; a++)
            {
                var x = row[(a * f) + c];
                if (double.IsFinite(x))
                {
                    squares += (x - mean) * (x - mean);
                }
            }

            var sd = count > 1 ? Math.Sqrt(squares / count) : 0;
            for (var a = 0; a < n; a++)
            {
                ref var x = ref row[(a * f) + c];
                if (double.IsFinite(x))
                {
                    x = sd > 0 ? (x - mean) / sd : 0;
                }
            }
        }

        for (var a = 0; a < n; a++)
        {
            var ok = closes[a] > 0 && double.IsFinite(closes[a]);
            var values = row.Slice(a * f, f);
            for (var k = 0; ok && k < values.Length; k++)
            {
                ok = double.IsFinite(values[k]);
            }

            available[a] = ok;
        }
    }
}
