using System.Globalization;
using System.Text.Json;

namespace Predictive.Core.Features;

/// <summary>One feature of a <see cref="FeatureSpec"/>: what it measures, over how many bars, and how it is normalized.</summary>
/// <param name="Kind">What the feature measures.</param>
/// <param name="Window">The look-back in bars (for <see cref="FeatureKind.EwmaVolatility"/> the half-life); 0 for <see cref="FeatureKind.Drawdown"/>.</param>
/// <param name="Normalization">The transform applied to the raw value.</param>
public sealed record FeatureDefinition(
    FeatureKind Kind,
    int Window,
    FeatureNormalization Normalization = FeatureNormalization.None)
{
    /// <summary>
    /// The stable column name: the kind in camelCase, the window when there is one, and <c>_z</c> for a z-scored feature
    /// (for example <c>logReturn_7</c>, <c>drawdown</c>, <c>amihudIlliquidity_30_z</c>).
    /// </summary>
    public string Name
    {
        get
        {
            var kind = JsonNamingPolicy.CamelCase.ConvertName(Kind.ToString());
            var name = Kind == FeatureKind.Drawdown ? kind : kind + "_" + Window.ToString(CultureInfo.InvariantCulture);
            return Normalization == FeatureNormalization.CrossSectionalZScore ? name + "_z" : name;
        }
    }

    /// <summary>Whether the feature needs volumes.</summary>
    public bool UsesVolume => Kind is FeatureKind.LogDollarVolume or FeatureKind.AmihudIlliquidity;

    /// <summary>Whether the feature looks at other assets (computed bar by bar across the panel).</summary>
    public bool IsCrossAsset => Kind is FeatureKind.MarketCorrelation or FeatureKind.AveragePairwiseCorrelation;

    /// <summary>The smallest window the kind accepts (a variance needs two returns).</summary>
    internal int MinWindow => Kind switch
    {
        FeatureKind.Drawdown => 0,
        FeatureKind.LogReturn or FeatureKind.EwmaVolatility or FeatureKind.LogDollarVolume or FeatureKind.AmihudIlliquidity => 1,
        _ => 2,
    };
}
