using Predictive.Core.Features;

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
    /// (returns, realized volatility and momentum only). Every set keeps the realized volatility the minimum-variance
    /// anchor reads. Sets that come out equal to an earlier one are dropped.
    /// </summary>
    public static IReadOnlyList<FeatureSet> Default(FeatureSpec full)
    {
        ArgumentNullException.ThrowIfNull(full);
        var candidates = new List<FeatureSet> { new("all", full) };
        if (full.UsesVolume)
        {
            candidates.Add(new("price", full.Where(f => !f.UsesVolume)));
        }

        if (full.Features.Any(f => f.Kind is FeatureKind.LogReturn or FeatureKind.RealizedVolatility or FeatureKind.Momentum))
        {
            candidates.Add(new("compact", full.Where(f => f.Kind is FeatureKind.LogReturn or FeatureKind.RealizedVolatility or FeatureKind.Momentum)));
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
