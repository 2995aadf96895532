namespace Predictive.Training.Gbm;

/// <summary>
/// Pooled training rows, one per (sample, asset) with the asset available and both labels finite:
/// features row-major <c>[row, feature]</c> as float32 (what the model sees when served), and the two labels.
/// </summary>
public sealed class GbmRows
{
    private GbmRows(float[] features, float[] returns, float[] volatility, int featureCount, int firstBar, int lastBar)
    {
        Features = features;
        ReturnLabels = returns;
        VolatilityLabels = volatility;
        FeatureCount = featureCount;
        FirstBar = firstBar;
        LastBar = lastBar;
    }

    /// <summary>Features, <c>[row, feature]</c>.</summary>
    public float[] Features { get; }

    /// <summary>Forward return label per row.</summary>
    public float[] ReturnLabels { get; }

    /// <summary>Forward volatility label per row.</summary>
    public float[] VolatilityLabels { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Rows.</summary>
    public int Count => ReturnLabels.Length;

    /// <summary>The first panel bar that contributed a row, or -1 when empty.</summary>
    public int FirstBar { get; }

    /// <summary>The last panel bar that contributed a row, or -1 when empty.</summary>
    public int LastBar { get; }

    /// <summary>
    /// Selects the rows of samples <c>[sampleStart, sampleEnd)</c> from plain arrays (a <c>TrainingDataset</c>'s spans fit),
    /// purging every sample whose labels read a close after bar <paramref name="barLimit"/>.
    /// </summary>
    /// <param name="features">Features, <c>[sample, asset, feature]</c>.</param>
    /// <param name="mask">Availability, <c>[sample, asset]</c>.</param>
    /// <param name="bars">Each sample's panel bar.</param>
    /// <param name="labels">Forward labels, <c>[bar, asset]</c> over the whole panel.</param>
    /// <param name="sampleStart">First sample, inclusive.</param>
    /// <param name="sampleEnd">Last sample, exclusive.</param>
    /// <param name="barLimit">The last bar a kept label may read (the first test bar: its close is known when testing starts).</param>
    public static GbmRows Select(ReadOnlySpan<float> features, ReadOnlySpan<bool> mask, ReadOnlySpan<int> bars, GbmLabels labels, int sampleStart, int sampleEnd, int barLimit)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var assets = labels.AssetCount;
        if (bars.Length == 0 || mask.Length != bars.Length * assets || features.Length % Math.Max(1, mask.Length) != 0)
        {
            throw new ArgumentException($"{features.Length} features, {mask.Length} mask entries and {bars.Length} samples do not fit {assets} assets.", nameof(features));
        }

        var featureCount = features.Length / mask.Length;
        ArgumentOutOfRangeException.ThrowIfNegative(sampleStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleEnd, bars.Length);
        var x = new List<float>();
        var returns = new List<float>();
        var vol = new List<float>();
        int first = -1, last = -1;
        for (var s = sampleStart; s < sampleEnd; s++)
        {
            var t = bars[s];
            if (t + labels.Window > barLimit)
            {
                continue;
            }

            for (var a = 0; a < assets; a++)
            {
                var label = (t * assets) + a;
                var r = labels.Returns[label];
                var v = labels.Volatility[label];
                var row = features.Slice(((s * assets) + a) * featureCount, featureCount);
                if (!mask[(s * assets) + a] || !float.IsFinite(r) || !float.IsFinite(v) || !AllFinite(row))
                {
                    continue;
                }

                foreach (var value in row)
                {
                    x.Add(value);
                }

                returns.Add(r);
                vol.Add(v);
                first = first < 0 ? t : first;
                last = t;
            }
        }

        return new GbmRows([.. x], [.. returns], [.. vol], featureCount, first, last);
    }

    private static bool AllFinite(ReadOnlySpan<float> row)
    {
        foreach (var value in row)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
