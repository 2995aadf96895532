using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Manifest;

namespace Predictive.Training.Gbm;

/// <summary>
/// Exports a <see cref="GbmModel"/> as an allocator ONNX model under the model contract: <c>features</c>
/// [batch, assets, F] (+ <c>prev_weights</c>, read but multiplied by 0) → <c>weights</c> [batch, assets]. The two
/// FastTree ensembles become <c>TreeEnsembleRegressor</c> nodes and the weight rule of <see cref="GbmWeightRule"/> is
/// written with standard operators, so ONNX Runtime reproduces <see cref="GbmModel.PredictWeights"/>.
/// </summary>
public static class GbmOnnxExporter
{
    /// <summary>The manifest name used when none is given.</summary>
    public const string DefaultName = "gbm-allocator";

    /// <summary>Builds the ONNX model with contract metadata.</summary>
    /// <param name="model">The trained model.</param>
    /// <param name="validationMetrics">Metric name → number, stored as JSON (non-finite values are left out).</param>
    public static OnnxModel Build(GbmModel model, IReadOnlyDictionary<string, double> validationMetrics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(validationMetrics);
        var f = model.FeatureCount;
        var features = ModelContract.FeaturesInput;
        var prev = ModelContract.PreviousWeightsInput;
        var version = ProducerVersion();
        return new OnnxModelBuilder(DefaultName)
            .WithProducer("Predictive", version)
            .WithDocString(
                "Gradient-boosted trees (ML.NET FastTree): weights = softmax over available assets of " +
                "(predicted return / max(predicted volatility, floor)) / temperature; an asset with any non-finite feature gets 0.")
            .ImportOpset(OnnxDomains.Ml, OnnxDomains.MlOpset)
            .AddInput(features, OnnxDataType.Float, "batch", "assets", f)
            .AddInput(prev, OnnxDataType.Float, "batch", "assets")
            .AddInitializer(OnnxTensor.Float("zero", [], [0f]))
            .AddInitializer(OnnxTensor.Float("masked_logit", [], [GbmWeightRule.MaskedLogit]))
            .AddInitializer(OnnxTensor.Float("volatility_floor", [], [(float)model.Options.VolatilityFloor]))
            .AddInitializer(OnnxTensor.Float("temperature", [], [(float)model.Options.Temperature]))
            .AddInitializer(OnnxTensor.Int64("row_shape", [2], [-1, f]))
            // x − x is NaN exactly where x is NaN or ±inf: one test for "not finite".
            .AddNode("Sub", [features, features], ["finite_probe"])
            .AddNode("IsNaN", ["finite_probe"], ["not_finite"])
            .AddNode("Where", ["not_finite", "zero", features], ["clean"])
            .AddNode("Cast", ["not_finite"], ["not_finite_f"], [OnnxAttribute.Int("to", (long)OnnxDataType.Float)])
            .AddNode("ReduceMax", ["not_finite_f"], ["unavailable_f"], [OnnxAttribute.Ints("axes", 2), OnnxAttribute.Int("keepdims", 0)])
            .AddNode("Cast", ["unavailable_f"], ["unavailable"], [OnnxAttribute.Int("to", (long)OnnxDataType.Bool)])
            .AddNode("Shape", ["unavailable_f"], ["grid_shape"])
            .AddNode("Reshape", ["clean", "row_shape"], ["rows"])
            .AddNode(TreeEnsembleOnnx.OpType, ["rows"], ["return_column"], TreeEnsembleOnnx.Attributes(model.Returns.Ensemble), OnnxDomains.Ml, "return_trees")
            .AddNode(TreeEnsembleOnnx.OpType, ["rows"], ["volatility_column"], TreeEnsembleOnnx.Attributes(model.Volatility.Ensemble), OnnxDomains.Ml, "volatility_trees")
            .AddNode("Reshape", ["return_column", "grid_shape"], ["predicted_return"])
            .AddNode("Reshape", ["volatility_column", "grid_shape"], ["predicted_volatility"])
            .AddNode("Max", ["predicted_volatility", "volatility_floor"], ["sigma"])
            .AddNode("Div", ["predicted_return", "sigma"], ["ratio"])
            .AddNode("Div", ["ratio", "temperature"], ["scaled"])
            // The contract feeds prev_weights; this rule ignores it, but reading it keeps it a real input.
            .AddNode("Mul", [prev, "zero"], ["prev_term"])
            .AddNode("Add", ["scaled", "prev_term"], ["logits"])
            .AddNode("Where", ["unavailable", "masked_logit", "logits"], ["masked_logits"])
            .AddNode("Softmax", ["masked_logits"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .AddMetadata(ModelMetadataKeys.FeatureSpec, model.Spec.ToJson())
            .AddMetadata(ModelMetadataKeys.TrainingRange, $"{Iso(model.TrainStart)}/{Iso(model.TrainEnd)}")
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, MetricsJson(validationMetrics))
            .AddMetadata(ModelMetadataKeys.Seed, model.Options.Seed.ToString(CultureInfo.InvariantCulture))
            .AddMetadata(ModelMetadataKeys.ProducerVersion, version)
            .Build();
    }

    /// <summary>Writes <c>model.onnx</c> and <c>model.json</c> for the final model of a training run.</summary>
    /// <param name="result">The training run; its fold means become the validation metrics.</param>
    /// <param name="directory">The model directory, for example <c>models/gbm-allocator/2025-06-01.1</c>; created if needed.</param>
    /// <param name="version">The model version written to the manifest.</param>
    /// <param name="name">The model name written to the manifest.</param>
    public static ModelManifest Export(GbmTrainingResult result, string directory, string version, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(result);
        var model = Build(result.Model, result.Summary());
        // The rule treats assets independently and symmetrically, so the model serves any asset list: no fixed assets.
        return ModelPackage.Write(directory, model, name, version);
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string MetricsJson(IReadOnlyDictionary<string, double> metrics)
    {
        var finite = metrics.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return JsonSerializer.Serialize(finite);
    }

    private static string ProducerVersion()
    {
        var assembly = typeof(GbmOnnxExporter).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return string.IsNullOrWhiteSpace(informational) ? assembly.GetName().Version?.ToString() ?? "0.0.0" : informational;
    }
}
