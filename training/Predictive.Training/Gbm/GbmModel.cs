using Predictive.Core.Features;

namespace Predictive.Training.Gbm;

/// <summary>
/// The trained allocator: a return regressor, a volatility regressor and the weight rule
/// (<see cref="GbmWeightRule"/>), for the features of <see cref="Spec"/>.
/// </summary>
public sealed class GbmModel
{
    /// <summary>Creates a model from two trained regressors.</summary>
    public GbmModel(FeatureSpec spec, GbmOptions options, GbmRegressor returns, GbmRegressor volatility, DateTimeOffset trainStart, DateTimeOffset trainEnd)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(returns);
        ArgumentNullException.ThrowIfNull(volatility);
        if (returns.FeatureCount != spec.FeatureNames.Count || volatility.FeatureCount != spec.FeatureNames.Count)
        {
            throw new ArgumentException($"the regressors take {returns.FeatureCount} and {volatility.FeatureCount} features; the spec has {spec.FeatureNames.Count}.", nameof(spec));
        }

        Spec = spec;
        Options = options.Validate();
        Returns = returns;
        Volatility = volatility;
        TrainStart = trainStart;
        TrainEnd = trainEnd;
    }

    /// <summary>The feature spec the model reads, in column order.</summary>
    public FeatureSpec Spec { get; }

    /// <summary>The options it was trained with (temperature and volatility floor are part of the rule).</summary>
    public GbmOptions Options { get; }

    /// <summary>Predicts the next-period log return.</summary>
    public GbmRegressor Returns { get; }

    /// <summary>Predicts the next-period volatility.</summary>
    public GbmRegressor Volatility { get; }

    /// <summary>The first bar time of the training rows.</summary>
    public DateTimeOffset TrainStart { get; }

    /// <summary>The last bar time whose close the training labels read.</summary>
    public DateTimeOffset TrainEnd { get; }

    /// <summary>Features per asset.</summary>
    public int FeatureCount => Spec.FeatureNames.Count;

    /// <summary>Target weights for one bar: features <c>[asset, feature]</c> in, weights <c>[asset]</c> out.</summary>
    public void PredictWeights(ReadOnlySpan<float> features, Span<float> weights)
    {
        var assets = weights.Length;
        if (features.Length != assets * FeatureCount)
        {
            throw new ArgumentException($"features have {features.Length} values; {assets} assets × {FeatureCount} features expected.", nameof(features));
        }

        var available = new bool[assets];
        var clean = new float[features.Length];
        var mu = new float[assets];
        var sigma = new float[assets];
        GbmWeightRule.Availability(features, FeatureCount, available);
        GbmWeightRule.Clean(features, clean);
        for (var a = 0; a < assets; a++)
        {
            var row = clean.AsSpan(a * FeatureCount, FeatureCount);
            mu[a] = Returns.Predict(row);
            sigma[a] = Volatility.Predict(row);
        }

        GbmWeightRule.Apply(mu, sigma, available, Options.Temperature, Options.VolatilityFloor, weights);
    }
}
