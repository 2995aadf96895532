using Predictive.Core.Features;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;

namespace Predictive.Service.Tests.Support;

/// <summary>
/// A hand-set placeholder allocator for <c>models/baseline/0.1.0</c>, so the service has something to serve before a
/// trained default exists: softmax over assets of a linear score that tilts toward momentum and away from volatility
/// and drawdown, plus the previous weight (to damp turnover). Uses the default feature spec without volume features,
/// so price-based requests need closes only.
/// </summary>
internal static class BaselineModel
{
    public const string Name = "baseline";
    public const string Version = "0.1.0";

    public static FeatureSpec Spec { get; } = FeatureSpec.Default.Where(f => !f.UsesVolume);

    public static OnnxModel Build()
    {
        var coefficients = Spec.FeatureNames.Select(Coefficient).ToArray();
        return new OnnxModelBuilder("baseline-allocator")
            .WithProducer("predictive-tests", "0.1.0")
            .AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", "assets", coefficients.Length)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", "assets")
            .AddInitializer(OnnxTensor.Float("w", [coefficients.Length, 1], coefficients))
            .AddInitializer(OnnxTensor.Int64("logit_shape", [2], [0, -1]))
            .AddInitializer(OnnxTensor.Float("prev_scale", [], [1f]))
            .AddNode("MatMul", [ModelContract.FeaturesInput, "w"], ["score3"])
            .AddNode("Reshape", ["score3", "logit_shape"], ["score"])
            .AddNode("Mul", [ModelContract.PreviousWeightsInput, "prev_scale"], ["prev_term"])
            .AddNode("Add", ["score", "prev_term"], ["z"])
            .AddNode("Softmax", ["z"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .AddMetadata(ModelMetadataKeys.FeatureSpec, Spec.ToJson())
            .AddMetadata(ModelMetadataKeys.TrainingRange, "2020-01-01T00:00:00Z/2020-01-01T00:00:00Z")
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, """{"note":0}""")
            .AddMetadata(ModelMetadataKeys.Seed, "0")
            .AddMetadata(ModelMetadataKeys.ProducerVersion, "0.1.0-baseline")
            .Build();
    }

    // Hand-set, not trained: momentum up, volatility and drawdown down, everything else neutral.
    private static float Coefficient(string feature) => feature switch
    {
        _ when feature.StartsWith("momentum_", StringComparison.Ordinal) => 1.0f,
        _ when feature.StartsWith("logReturn_30", StringComparison.Ordinal) => 0.5f,
        _ when feature.Contains("Volatility", StringComparison.Ordinal) => -0.5f,
        "drawdown" => 0.5f,
        _ => 0f,
    };
}
