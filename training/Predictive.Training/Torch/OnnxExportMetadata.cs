namespace Predictive.Training.Torch;

/// <summary>The <c>metadata_props</c> an exported allocator carries (see docs/model-contract.md).</summary>
/// <param name="FeatureSpecJson">The feature spec, as JSON.</param>
/// <param name="TrainingRange">The training data range, ISO-8601 <c>start/end</c> in UTC.</param>
/// <param name="ValidationMetricsJson">Validation metrics, a JSON object of name → number.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="ProducerVersion">The version of the build that trained and exported the model.</param>
/// <param name="Assets">The asset list, in input order; required for fixed-asset models, ignored otherwise.</param>
public sealed record OnnxExportMetadata(
    string FeatureSpecJson,
    string TrainingRange,
    string ValidationMetricsJson,
    int Seed,
    string ProducerVersion,
    IReadOnlyList<string>? Assets);
