namespace Predictive.Core.Features;

/// <summary>A spec compiled into flat arrays the kernels walk every bar, shared by the bulk and incremental paths.</summary>
internal sealed class FeaturePlan
{
    public FeaturePlan(FeatureSpec spec)
    {
        Spec = spec;
        FeatureCount = spec.Features.Count;
        var windows = new List<int>();
        var ewma = new List<int>();
        var corr = new List<int>();
        var perAsset = new List<PlanItem>();
        var cross = new List<PlanItem>();
        var z = new List<int>();
        for (var c = 0; c < spec.Features.Count; c++)
        {
            var f = spec.Features[c];
            if (f.Normalization == FeatureNormalization.CrossSectionalZScore)
            {
                z.Add(c);
            }

            switch (f.Kind)
            {
                case FeatureKind.LogReturn:
                    MaxHorizon = Math.Max(MaxHorizon, f.Window);
                    perAsset.Add(new(f.Kind, f.Window, 0, c));
                    break;
                case FeatureKind.Drawdown:
                    perAsset.Add(new(f.Kind, 0, 0, c));
                    break;
                case FeatureKind.EwmaVolatility:
                    perAsset.Add(new(f.Kind, f.Window, IndexOrAdd(ewma, f.Window), c));
                    break;
                case FeatureKind.MarketCorrelation:
                case FeatureKind.AveragePairwiseCorrelation:
                    cross.Add(new(f.Kind, f.Window, IndexOrAdd(corr, f.Window), c));
                    break;
                default:
                    perAsset.Add(new(f.Kind, f.Window, IndexOrAdd(windows, f.Window), c));
                    break;
            }
        }

        Windows = [.. windows];
        WindowNeeds = new WindowNeeds[Windows.Length];
        foreach (var item in perAsset)
        {
            switch (item.Kind)
            {
                case FeatureKind.RealizedVolatility or FeatureKind.Momentum:
                    WindowNeeds[item.Index] |= Features.WindowNeeds.Returns;
                    break;
                case FeatureKind.DownsideVolatility:
                    WindowNeeds[item.Index] |= Features.WindowNeeds.Returns | Features.WindowNeeds.Downside;
                    break;
                case FeatureKind.LogDollarVolume:
                    WindowNeeds[item.Index] |= Features.WindowNeeds.DollarVolume;
                    break;
                case FeatureKind.AmihudIlliquidity:
                    WindowNeeds[item.Index] |= Features.WindowNeeds.Amihud;
                    break;
                default:
                    break;
            }
        }

        EwmaHalfLives = [.. ewma];
        CorrelationWindows = [.. corr];
        PerAsset = [.. perAsset];
        CrossAsset = [.. cross];
        CrossZScoreColumns = [.. z.Where(c => spec.Features[c].IsCrossAsset)];
        PerAssetZScored = [.. perAsset.Select(p => spec.Features[p.Column].Normalization == FeatureNormalization.CrossSectionalZScore)];
        UsesVolume = spec.UsesVolume;
        MaxWindow = Windows.Length == 0 ? 1 : Windows.Max();
    }

    public FeatureSpec Spec { get; }

    public int FeatureCount { get; }

    /// <summary>Distinct rolling windows of the per-asset statistics.</summary>
    public int[] Windows { get; }

    /// <summary>Which running sums each window keeps.</summary>
    public WindowNeeds[] WindowNeeds { get; }

    public int MaxWindow { get; }

    public int MaxHorizon { get; }

    public int[] EwmaHalfLives { get; }

    public int[] CorrelationWindows { get; }

    public PlanItem[] PerAsset { get; }

    public PlanItem[] CrossAsset { get; }

    /// <summary>The z-scored cross-asset columns (the row finisher normalizes them; per-asset ones are done in the kernel).</summary>
    public int[] CrossZScoreColumns { get; }

    /// <summary>For each <see cref="PerAsset"/> item, whether it is z-scored across assets.</summary>
    public bool[] PerAssetZScored { get; }

    public bool UsesVolume { get; }

    /// <summary>The log price the kernels use; NaN for a missing or non-positive close. One function so both paths agree bitwise.</summary>
    public static double LogPrice(double close) => close > 0 && double.IsFinite(close) ? Math.Log(close) : double.NaN;

    private static int IndexOrAdd(List<int> list, int value)
    {
        var i = list.IndexOf(value);
        if (i >= 0)
        {
            return i;
        }

        list.Add(value);
        return list.Count - 1;
    }
}

/// <summary>One feature as a kernel sees it: the kind, its window, the index of its shared state, and its output column.</summary>
internal readonly record struct PlanItem(FeatureKind Kind, int Window, int Index, int Column);

/// <summary>The running sums a rolling window must keep.</summary>
[Flags]
internal enum WindowNeeds
{
    None = 0,
    Returns = 1,
    Downside = 2,
    DollarVolume = 4,
    Amihud = 8,
}
