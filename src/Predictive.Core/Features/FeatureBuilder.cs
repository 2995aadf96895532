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
        var available = GC.AllocateUninitializedArray<bool>(bars * n);

        // Bar by bar, as the live builder does: the one kernel moves every asset a bar (a few KB of state that stays in
        // cache) and each bar's [asset, feature] block is written once, contiguously.
        var kernel = new PerAssetKernel(plan, n);
        var cross = plan.CrossAsset.Length > 0 ? new CrossAssetKernel(plan, n) : null;
        var closes = new double[n];
        var volumes = panel.HasVolume ? new double[n] : [];
        for (var t = 0; t < bars; t++)
        {
            for (var a = 0; a < n; a++)
            {
                closes[a] = panel.Close(a)[t];
            }

            for (var a = 0; a < volumes.Length; a++)
            {
                volumes[a] = panel.Volume(a)[t];
            }

            var row = values.AsSpan(t * n * f, n * f);
            var ok = available.AsSpan(t * n, n);
            kernel.Step(closes, volumes, row, ok);
            cross?.Step(closes, row);
            RowFinisher.Finish(plan, row, ok);
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
