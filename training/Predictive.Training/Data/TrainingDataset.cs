using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Training.Data;

/// <summary>
/// Time-ordered training samples built from a panel and a feature spec. Sample <c>i</c> stands for one decision bar
/// <c>t = Bar(i)</c>: the features of every asset at <c>t</c> (<c>[asset, feature]</c>, float32), which assets are
/// available at <c>t</c>, and the label: each asset's simple return from the close of <c>t</c> to the close of
/// <c>t + 1</c>. Nothing after <c>t + 1</c> enters a sample, and only the label uses <c>t + 1</c>.
/// </summary>
/// <remarks>
/// <para>Unavailable assets (not yet listed, no price, or too little history for every feature; see
/// <see cref="FeatureFrame.Availability"/>) have all features and their return set to 0 and <see cref="Mask"/> false.
/// Models must give them weight 0: the torch models push their logit to a large negative number before the softmax,
/// and the exported ONNX graphs recognise them by NaN features (what <see cref="FeatureBuilder"/> produces).</para>
/// <para>Previous weights are not stored: they depend on the policy being trained or evaluated. A policy's held
/// weights at sample <c>i</c> are its weights at <c>i − 1</c> drifted by that period's returns
/// (<see cref="DriftInto"/>); where there is no previous sample, the policy starts from equal weights over the
/// available assets (<see cref="EqualWeightsInto"/>).</para>
/// <para>A return whose next close is missing is 0 (with the default missing-data policy, gaps are forward-filled
/// already, so this only happens at the very end of a series).</para>
/// </remarks>
public sealed class TrainingDataset
{
    private readonly float[] _features;
    private readonly bool[] _mask;
    private readonly float[] _returns;
    private readonly int[] _bars;
    private readonly DateTimeOffset[] _barTimes;
    private readonly string[] _assets;

    private TrainingDataset(PricePanel panel, FeatureSpec spec, BarInterval interval, string[] assets, DateTimeOffset[] barTimes, int[] bars, float[] features, bool[] mask, float[] returns)
    {
        Panel = panel;
        Spec = spec;
        Interval = interval;
        _assets = assets;
        _barTimes = barTimes;
        _bars = bars;
        _features = features;
        _mask = mask;
        _returns = returns;
    }

    /// <summary>The panel the samples were built from (the evaluation backtests trade its closes).</summary>
    public PricePanel Panel { get; }

    /// <summary>The feature spec the samples were built with.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>The bar interval of the source panel.</summary>
    public BarInterval Interval { get; }

    /// <summary>The asset symbols, in column order.</summary>
    public IReadOnlyList<string> Assets => _assets;

    /// <summary>The feature names, in column order.</summary>
    public IReadOnlyList<string> FeatureNames => Spec.FeatureNames;

    /// <summary>The number of samples.</summary>
    public int SampleCount => _bars.Length;

    /// <summary>The number of assets.</summary>
    public int AssetCount => _assets.Length;

    /// <summary>The number of features per asset.</summary>
    public int FeatureCount => Spec.FeatureNames.Count;

    /// <summary>How many bars a label spans (from the decision bar to the bar whose close ends the return).</summary>
    public const int LabelHorizon = 1;

    /// <summary>All features, row-major <c>[sample, asset, feature]</c>; 0 where an asset is unavailable.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>Availability, row-major <c>[sample, asset]</c>.</summary>
    public ReadOnlySpan<bool> Mask => _mask;

    /// <summary>Labels: simple returns from bar t to t + 1, row-major <c>[sample, asset]</c>; 0 where unavailable.</summary>
    public ReadOnlySpan<float> NextReturns => _returns;

    /// <summary>The samples' decision bars, as indexes into the source panel.</summary>
    public ReadOnlySpan<int> Bars => _bars;

    /// <summary>Builds the samples of <paramref name="panel"/> with <paramref name="spec"/> (the default spec when null).</summary>
    /// <exception cref="ArgumentException">The panel yields no sample (too short, or never enough available assets).</exception>
    public static TrainingDataset Create(PricePanel panel, FeatureSpec? spec = null, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return Create(panel, FeatureBuilder.Build(panel, spec ?? FeatureSpec.Default), options);
    }

    /// <summary>Builds the samples from features already computed for <paramref name="panel"/>.</summary>
    /// <exception cref="ArgumentException">The frame does not belong to the panel, or no sample results.</exception>
    public static TrainingDataset Create(PricePanel panel, FeatureFrame frame, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(frame);
        options ??= DatasetOptions.Default;
        options.Validate();
        if (frame.BarCount != panel.BarCount || !frame.Assets.SequenceEqual(panel.Assets, StringComparer.Ordinal))
        {
            throw new ArgumentException($"the feature frame ({frame.BarCount} bars, {frame.AssetCount} assets) was not built from this panel ({panel.BarCount} bars, {panel.AssetCount} assets).", nameof(frame));
        }

        var n = panel.AssetCount;
        var f = frame.FeatureCount;
        var first = FirstBar(frame, options.MinAvailableAssets);
        var bars = new List<int>();
        for (var t = first; t >= 0 && t + 1 < panel.BarCount; t++)
        {
            if (frame.Availability(t).Contains(true))
            {
                bars.Add(t);
            }
        }

        if (bars.Count == 0)
        {
            throw new ArgumentException($"the panel ({panel.BarCount} bars, {n} assets) yields no sample: no bar before the last has {options.MinAvailableAssets} assets with complete features.", nameof(panel));
        }

        var features = new float[bars.Count * n * f];
        var mask = new bool[bars.Count * n];
        var returns = new float[bars.Count * n];
        for (var i = 0; i < bars.Count; i++)
        {
            var t = bars[i];
            var row = frame.Row(t);
            for (var a = 0; a < n; a++)
            {
                if (!frame.IsAvailable(t, a))
                {
                    continue;
                }

                mask[(i * n) + a] = true;
                var dst = features.AsSpan(((i * n) + a) * f, f);
                for (var k = 0; k < f; k++)
                {
                    dst[k] = (float)row[(a * f) + k];
                }

                var now = panel.Close(a)[t];
                var next = panel.Close(a)[t + 1];
                returns[(i * n) + a] = double.IsFinite(next) && next > 0 ? (float)((next / now) - 1) : 0f;
            }
        }

        return new TrainingDataset(panel, frame.Spec, panel.Interval, [.. panel.Assets], panel.Timestamps.ToArray(), [.. bars], features, mask, returns);
    }

    /// <summary>
    /// The same samples with only the features of <paramref name="subset"/> (each must be one of <see cref="Spec"/>'s, by
    /// name), in the subset's order. Bars, availability and labels are kept, so walk-forward folds over the two datasets
    /// cut the same samples: a search can compare feature sets on the same blocks. Availability stays that of the full
    /// spec (an asset counts as available once every feature of the full spec has its history).
    /// </summary>
    /// <exception cref="ArgumentException">A feature of the subset is not in this dataset's spec; the message names it.</exception>
    public TrainingDataset WithFeatures(FeatureSpec subset)
    {
        ArgumentNullException.ThrowIfNull(subset);
        var columns = new int[subset.FeatureNames.Count];
        for (var k = 0; k < columns.Length; k++)
        {
            columns[k] = Spec.IndexOf(subset.FeatureNames[k]);
            if (columns[k] < 0 || Spec.Features[columns[k]] != subset.Features[k])
            {
                throw new ArgumentException($"feature '{subset.FeatureNames[k]}' is not one of this dataset's [{string.Join(", ", Spec.FeatureNames)}].", nameof(subset));
            }
        }

        if (columns.SequenceEqual(Enumerable.Range(0, FeatureCount)))
        {
            return this;
        }

        var f = FeatureCount;
        var rows = SampleCount * AssetCount;
        var features = new float[rows * columns.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var k = 0; k < columns.Length; k++)
            {
                features[(r * columns.Length) + k] = _features[(r * f) + columns[k]];
            }
        }

        return new TrainingDataset(Panel, subset, Interval, _assets, _barTimes, _bars, features, _mask, _returns);
    }

    /// <summary>The decision bar (panel index) of a sample.</summary>
    public int Bar(int sample) => _bars[sample];

    /// <summary>Throws unless this dataset was built from <paramref name="panel"/> (same assets in order, bars within it).</summary>
    /// <param name="panel">The panel the caller pairs with this dataset.</param>
    /// <param name="paramName">The caller's name for this dataset, reported in the exception.</param>
    /// <exception cref="ArgumentException">The assets or bars differ.</exception>
    public void EnsureBuiltFrom(PricePanel panel, string paramName)
    {
        ArgumentNullException.ThrowIfNull(panel);
        if (!_assets.SequenceEqual(panel.Assets, StringComparer.Ordinal) || Bar(SampleCount - 1) >= panel.BarCount)
        {
            throw new ArgumentException($"the dataset ({AssetCount} assets) was not built from this panel ({panel.AssetCount} assets, {panel.BarCount} bars): assets or bars differ.", paramName);
        }
    }

    /// <summary>The time of a sample's decision bar.</summary>
    public DateTimeOffset Time(int sample) => _barTimes[_bars[sample]];

    /// <summary>The time of the bar whose close ends a sample's label.</summary>
    public DateTimeOffset LabelEndTime(int sample) => _barTimes[_bars[sample] + LabelHorizon];

    /// <summary>Whether sample <paramref name="sample"/> - 1 is the bar right before it, so a held position carries over.</summary>
    public bool FollowsPrevious(int sample) => sample > 0 && _bars[sample - 1] == _bars[sample] - 1;

    /// <summary>One sample's features, <c>[asset, feature]</c>.</summary>
    public ReadOnlySpan<float> FeatureRow(int sample) => _features.AsSpan(sample * AssetCount * FeatureCount, AssetCount * FeatureCount);

    /// <summary>One sample's availability, one per asset.</summary>
    public ReadOnlySpan<bool> MaskRow(int sample) => _mask.AsSpan(sample * AssetCount, AssetCount);

    /// <summary>One sample's labels (returns from t to t + 1), one per asset.</summary>
    public ReadOnlySpan<float> ReturnRow(int sample) => _returns.AsSpan(sample * AssetCount, AssetCount);

    /// <summary>The number of available assets at a sample.</summary>
    public int AvailableCount(int sample)
    {
        var count = 0;
        foreach (var m in MaskRow(sample))
        {
            count += m ? 1 : 0;
        }

        return count;
    }

    /// <summary>Writes equal weights over the assets available at <paramref name="sample"/> (0 elsewhere).</summary>
    public void EqualWeightsInto(int sample, Span<float> weights)
    {
        CheckLength(weights.Length, nameof(weights));
        var mask = MaskRow(sample);
        var w = 1f / Math.Max(1, AvailableCount(sample));
        for (var a = 0; a < weights.Length; a++)
        {
            weights[a] = mask[a] ? w : 0f;
        }
    }

    /// <summary>
    /// The weights held at the next bar when <paramref name="weights"/> were set at <paramref name="sample"/>: each
    /// grows by its asset's return over the period and the result is renormalized to sum to 1.
    /// </summary>
    public void DriftInto(int sample, ReadOnlySpan<float> weights, Span<float> drifted)
    {
        CheckLength(weights.Length, nameof(weights));
        CheckLength(drifted.Length, nameof(drifted));
        var r = ReturnRow(sample);
        double total = 0;
        for (var a = 0; a < weights.Length; a++)
        {
            total += weights[a] * (1.0 + r[a]);
        }

        for (var a = 0; a < weights.Length; a++)
        {
            drifted[a] = total > 0 ? (float)(weights[a] * (1.0 + r[a]) / total) : weights[a];
        }
    }

    /// <summary>The UTC range from the first sample's decision bar to the last label's end, ISO-8601 <c>start/end</c>.</summary>
    public string DescribeRange(SampleRange range)
    {
        if (range.IsEmpty)
        {
            throw new ArgumentException("the range is empty.", nameof(range));
        }

        return FormattableString.Invariant($"{Time(range.Start).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}/{LabelEndTime(range.End - 1).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
    }

    private void CheckLength(int length, string name)
    {
        if (length != AssetCount)
        {
            throw new ArgumentException($"'{name}' has {length} values; the dataset has {AssetCount} assets.", name);
        }
    }

    private static int FirstBar(FeatureFrame frame, int minAvailable)
    {
        for (var t = 0; t < frame.BarCount; t++)
        {
            var count = 0;
            foreach (var m in frame.Availability(t))
            {
                count += m ? 1 : 0;
            }

            if (count >= minAvailable)
            {
                return t;
            }
        }

        return -1;
    }
}
