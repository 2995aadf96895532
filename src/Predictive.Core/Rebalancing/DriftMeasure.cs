using Predictive.Core.Allocation;

namespace Predictive.Core.Rebalancing;

/// <summary>How far current weights w are from target weights w*.</summary>
/// <param name="L1">Σ|wᵢ − w*ᵢ| (twice the one-way turnover of a full rebalance).</param>
/// <param name="MaxAbs">max |wᵢ − w*ᵢ|.</param>
/// <param name="MaxAsset">The asset with the largest absolute drift, or null when there are no assets.</param>
/// <param name="TrackingError">√((w − w*)ᵀ Σ (w − w*)) per bar; NaN without a risk model.</param>
public sealed record DriftMeasure(double L1, double MaxAbs, string? MaxAsset, double TrackingError)
{
    /// <summary>Measures the drift of <paramref name="current"/> from <paramref name="target"/>.</summary>
    public static DriftMeasure Of(IReadOnlyList<string> assets, ReadOnlySpan<double> current, ReadOnlySpan<double> target, RiskEstimate? risk)
    {
        ArgumentNullException.ThrowIfNull(assets);
        double l1 = 0, max = 0;
        string? maxAsset = null;
        for (var i = 0; i < current.Length; i++)
        {
            var d = Math.Abs(current[i] - target[i]);
            l1 += d;
            if (maxAsset is null || d > max)
            {
                max = d;
                maxAsset = assets[i];
            }
        }

        return new DriftMeasure(l1, max, maxAsset, risk is null ? double.NaN : TrackingErrorBenefit.TrackingError(risk, current, target));
    }
}
