namespace Predictive.Onnx.Contract;

/// <summary>The <c>metadata_props</c> keys every exported allocator model carries (see docs/model-contract.md).</summary>
public static class ModelMetadataKeys
{
    /// <summary>The feature spec, as JSON: which features, in which order, with which windows.</summary>
    public const string FeatureSpec = "predictive.feature_spec";

    /// <summary>The training data range, ISO-8601 <c>start/end</c> (UTC).</summary>
    public const string TrainingRange = "predictive.training_range";

    /// <summary>Validation metrics, as a JSON object of name → number.</summary>
    public const string ValidationMetrics = "predictive.validation_metrics";

    /// <summary>The random seed used for training, as an invariant integer.</summary>
    public const string Seed = "predictive.seed";

    /// <summary>The version of the Predictive build that produced the model.</summary>
    public const string ProducerVersion = "predictive.producer_version";

    /// <summary>Optional: the fixed asset list, as a JSON array, for models whose weights depend on asset order.</summary>
    public const string Assets = "predictive.assets";

    /// <summary>
    /// Optional: the lower-case hex SHA-256 of the model card in <c>model.json</c> (its compact JSON), written at training
    /// time so the model file's hash covers the card (<see cref="Manifest.ModelCardSeal"/>).
    /// </summary>
    public const string ModelCardSha256 = "predictive.model_card_sha256";

    /// <summary>The keys a model must carry.</summary>
    public static IReadOnlyList<string> Required { get; } = [FeatureSpec, TrainingRange, ValidationMetrics, Seed, ProducerVersion];
}
