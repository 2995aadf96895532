using Predictive.Core.Features;
using Predictive.Training.Torch;

namespace Predictive.Training.Study;

/// <summary>A named set of features a search can try (<see cref="Pipeline.TrainingOptions.Spec"/> of a configuration).</summary>
/// <param name="Name">A short name for configuration names and tables.</param>
/// <param name="Spec">The features, a subset of the dataset's in the same order.</param>
public sealed record FeatureSet(string Name, FeatureSpec Spec);

/// <summary>The feature sets of the default search space, all cut from one full spec so every set reads the same samples.</summary>
public static class FeatureSets
{
    /// <summary>
    /// <c>all</c> (the full spec); <c>price</c> (without the volume features, when the full spec has any); <c>compact</c>
    /// (returns, realized volatility and momentum only). Every set keeps the column the minimum-variance anchor reads in
    /// the full spec (<see cref="AnchorTilt.MinVarianceFeature"/>: the realized volatility, or the EWMA volatility when
    /// the spec has no realized one), so an anchored configuration works on every set. Sets that come out equal to an
    /// earlier one are dropped.
    /// </summary>
    public static IReadOnlyList<FeatureSet> Default(FeatureSpec full)
    {
        ArgumentNullException.ThrowIfNull(full);
        var anchor = full.Features.Any(f => f.Kind is FeatureKind.RealizedVolatility or FeatureKind.EwmaVolatility && f.Normalization == FeatureNormalization.None)
            ? full.FeatureNames[AnchorTilt.MinVarianceFeature(full)]
            : null;
        var candidates = new List<FeatureSet> { new("all", full) };
        if (full.UsesVolume)
        {
            candidates.Add(new("price", full.Where(f => !f.UsesVolume || f.Name == anchor)));
        }

        if (full.Features.Any(f => f.Kind is FeatureKind.LogReturn or FeatureKind.RealizedVolatility or FeatureKind.Momentum))
        {
            candidates.Add(new("compact", full.Where(f => f.Kind is FeatureKind.LogReturn or FeatureKind.RealizedVolatility or FeatureKind.Momentum || f.Name == anchor)));
        }

        var sets = new List<FeatureSet>();
        foreach (var set in candidates)
        {
            if (!sets.Any(s => s.Spec.FeatureNames.SequenceEqual(set.Spec.FeatureNames, StringComparer.Ordinal)))
            {
                sets.Add(set);
            }
        }

        return sets;
    }
}
