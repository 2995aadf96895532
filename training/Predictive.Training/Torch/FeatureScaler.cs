using Predictive.Training.Data;

namespace Predictive.Training.Torch;

/// <summary>
/// Per-feature standardization fitted on training samples only: <c>clip((x − mean) · invStd, ±Clip)</c>. It is part of
/// the network (and of the exported graph), so serving feeds raw features from the feature builder.
/// </summary>
public sealed class FeatureScaler
{
    private readonly float[] _mean;
    private readonly float[] _invStd;

    /// <summary>Creates a scaler from explicit statistics.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or hold non-finite values.</exception>
    public FeatureScaler(float[] mean, float[] invStd, float clip)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(invStd);
        if (mean.Length != invStd.Length || mean.Length == 0)
        {
            throw new ArgumentException($"mean has {mean.Length} values and invStd {invStd.Length}; both need one per feature.", nameof(invStd));
        }

        if (!mean.All(float.IsFinite) || !invStd.All(float.IsFinite) || !(clip > 0))
        {
            throw new ArgumentException("scaler statistics must be finite and the clip positive.", nameof(mean));
        }

        _mean = (float[])mean.Clone();
        _invStd = (float[])invStd.Clone();
        Clip = clip;
    }

    /// <summary>Per-feature means.</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Per-feature reciprocal standard deviations.</summary>
    public IReadOnlyList<float> InvStd => _invStd;

    /// <summary>The bound on standardized values (outliers such as listing-day returns are clipped).</summary>
    public float Clip { get; }

    /// <summary>The number of features.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Fits means and standard deviations over the available assets of the samples in <paramref name="range"/>.</summary>
    public static FeatureScaler Fit(TrainingDataset data, SampleRange range, float clip = 5f)
    {
        ArgumentNullException.ThrowIfNull(data);
        var f = data.FeatureCount;
        var sum = new double[f];
        var sumSq = new double[f];
        long count = 0;
        for (var i = range.Start; i < range.End; i++)
        {
            var row = data.FeatureRow(i);
            var mask = data.MaskRow(i);
            for (var a = 0; a < data.AssetCount; a++)
            {
                if (!mask[a])
                {
                    continue;
                }

                count++;
                for (var k = 0; k < f; k++)
                {
                    double x = row[(a * f) + k];
                    sum[k] += x;
                    sumSq[k] += x * x;
                }
            }
        }

        var mean = new float[f];
        var inv = new float[f];
        for (var k = 0; k < f; k++)
        {
            var m = count > 0 ? sum[k] / count : 0;
            var variance = count > 1 ? Math.Max(0, (sumSq[k] / count) - (m * m)) : 1;
            mean[k] = (float)m;
            inv[k] = (float)(1 / Math.Max(Math.Sqrt(variance), 1e-6));
        }

        return new FeatureScaler(mean, inv, clip);
    }

    internal float[] MeanArray => _mean;

    internal float[] InvStdArray => _invStd;
}
