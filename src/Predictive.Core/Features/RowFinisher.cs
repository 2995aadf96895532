namespace Predictive.Core.Features;

/// <summary>
/// The last step of every bar in both builders: cross-sectional normalization of the cross-asset columns, then their
/// share of the availability mask (the per-asset kernel has already set it from the close and the per-asset columns).
/// </summary>
internal static class RowFinisher
{
    /// <summary>Normalizes the z-scored cross-asset columns of one bar and clears availability where one is not finite.</summary>
    /// <param name="plan">The compiled spec.</param>
    /// <param name="row">The bar's features, [asset, feature].</param>
    /// <param name="available">Read and written: cleared for an asset with a non-finite cross-asset value.</param>
    public static void Finish(FeaturePlan plan, Span<double> row, Span<bool> available)
    {
        var f = plan.FeatureCount;
        foreach (var c in plan.CrossZScoreColumns)
        {
            ZScore(row[c..], f, available.Length);
        }

        foreach (var item in plan.CrossAsset)
        {
            for (var a = 0; a < available.Length; a++)
            {
                available[a] &= double.IsFinite(row[(a * f) + item.Column]);
            }
        }
    }

    /// <summary>
    /// Cross-sectional z-score in place of <paramref name="count"/> values <paramref name="stride"/> apart: (x − mean) / sd
    /// over the finite values; 0 when fewer than two are finite or they all agree. Non-finite values stay as they are.
    /// </summary>
    public static void ZScore(Span<double> values, int stride, int count)
    {
        var sum = 0.0;
        var finite = 0;
        for (var a = 0; a < count; a++)
        {
            var x = values[a * stride];
            if (double.IsFinite(x))
            {
                sum += x;
                finite++;
            }
        }

        var mean = finite > 0 ? sum / finite : 0;
        var squares = 0.0;
        for (var a = 0; a < count; a++)
        {
            var x = values[a * stride];
            if (double.IsFinite(x))
            {
                squares += (x - mean) * (x - mean);
            }
        }

        var sd = finite > 1 ? Math.Sqrt(squares / finite) : 0;
        for (var a = 0; a < count; a++)
        {
            ref var x = ref values[a * stride];
            if (double.IsFinite(x))
            {
                x = sd > 0 ? (x - mean) / sd : 0;
            }
        }
    }
}
