using Predictive.Core.MarketData;

namespace Predictive.Core.Features;

/// <summary>
/// Builds features over a whole panel at once (backtests, training). Gives bitwise the same values as feeding the
/// panel bar by bar to an <see cref="IncrementalFeatureBuilder"/>.
/// </summary>
public static class FeatureBuilder
{
    /// <summary>Builds the features of <paramref name="spec"/> (the default spec when null) for every bar of the panel.</summary>
    /// <exception cref="FeatureSpecException">The spec needs volumes and the panel has none.</exception>
    public static FeatureFrame Build(PricePanel panel, FeatureSpec? spec = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        spec ??= FeatureSpec.Default;
        CheckVolume(spec, panel.HasVolume);
        var plan = new FeaturePlan(spec);
        var bars = panel.BarCount;
        var n = panel.AssetCount;
        var f = plan.FeatureCount;
        var values = GC.AllocateUninitializedArray<double>(bars * n * f);
        var available = new bool[bars * n];

        // Bar by bar, as the live builder does: each bar's [asset, feature] block is written contiguously, and the
        // kernels of all assets (a few KB of state) stay in cache.
        var kernels = new AssetFeatureKernel[n];
        for (var a = 0; a < n; a++)
        {
            kernels[a] = new AssetFeatureKernel(plan);
        }

        var cross = plan.CrossAsset.Length > 0 ? new CrossAssetKernel(plan, n) : null;
        var closes = new double[n];
        var hasVolume = panel.HasVolume;
        for (var t = 0; t < bars; t++)
        {
            var row = values.AsSpan(t * n * f, n * f);
            for (var a = 0; a < n; a++)
            {
                closes[a] = panel.Close(a)[t];
                kernels[a].Step(closes[a], hasVolume ? panel.Volume(a)[t] : double.NaN, row.Slice(a * f, f));
            }

            cross?.Step(closes, row);
            RowFinisher.Finish(plan, closes, row, available.AsSpan(t * n, n));
        }

        return new FeatureFrame(spec, panel.Timestamps.ToArray(), [.. panel.Assets], values, available);
    }

    internal static void CheckVolume(FeatureSpec spec, bool hasVolume)
    {
        if (spec.UsesVolume && !hasVolume)
        {
            var names = string.Join(", ", spec.Features.Where(x => x.UsesVolume).Select(x => x.Name));
            throw new FeatureSpecException($"the feature spec uses volume ({names}) but the data has no volume; drop those features with spec.Where(f => !f.UsesVolume).");
        }
    }
}
