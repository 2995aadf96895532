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
        // Bars are gathered from the panel's columns a block at a time: reading each column in runs keeps the hardware
        // prefetcher on all of them, where reading one value of every column per bar stalls on cache misses.
        const int Block = 64;
        var closes = new double[Block * n];
        var volumes = panel.HasVolume ? new double[Block * n] : [];
        for (var start = 0; start < bars; start += Block)
        {
            var length = Math.Min(Block, bars - start);
            Gather(panel, start, length, volume: false, closes);
            if (volumes.Length > 0)
            {
                Gather(panel, start, length, volume: true, volumes);
            }

            for (var j = 0; j < length; j++)
            {
                var t = start + j;
                var barCloses = closes.AsSpan(j * n, n);
                var row = values.AsSpan(t * n * f, n * f);
                var ok = available.AsSpan(t * n, n);
                kernel.Step(barCloses, volumes.Length > 0 ? volumes.AsSpan(j * n, n) : default, row, ok);
                cross?.Step(barCloses, row);
                RowFinisher.Finish(plan, row, ok);
            }
        }

        return new FeatureFrame(spec, panel.Timestamps.ToArray(), [.. panel.Assets], values, available);
    }

    /// <summary>Copies bars [start, start + length) of every asset's closes (or volumes) into <paramref name="block"/>, one row of assets per bar.</summary>
    private static void Gather(PricePanel panel, int start, int length, bool volume, double[] block)
    {
        var n = panel.AssetCount;
        for (var a = 0; a < n; a++)
        {
            var column = (volume ? panel.Volume(a) : panel.Close(a)).Slice(start, length);
            for (var j = 0; j < column.Length; j++)
            {
                block[(j * n) + a] = column[j];
            }
        }
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
