using Predictive.Core.Features;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;

namespace Predictive.Service.Tests.Support;

/// <summary>Contract-conforming (and deliberately broken) allocator models, built with the project's ONNX writer.</summary>
internal static class TestModels
{
    /// <summary>Three features that need only closes: 1- and 7-bar log returns and 7-bar realized volatility (8 closes).</summary>
    public static FeatureSpec Spec { get; } = new(
    [
        new(FeatureKind.LogReturn, 1),
        new(FeatureKind.LogReturn, 7),
        new(FeatureKind.RealizedVolatility, 7),
    ]);

    public const float PrevScale = 0.5f;

    public static float[] ScoreWeights(float scale) => [2.0f * scale, -1.0f * scale, 0.5f * scale];

    /// <summary>weights = softmax_assets(features · w + 0.5 · prev_weights), w = scale · [2, −1, 0.5].</summary>
    public static OnnxModel Linear(float scale = 1f, string featuresInput = ModelContract.FeaturesInput, int featureCount = 3) =>
        Start("linear-softmax", featuresInput, featureCount, ScoreWeights(scale).Concat(Enumerable.Repeat(0.1f, Math.Max(0, featureCount - 3))).Take(featureCount).ToArray())
            .AddNode("Softmax", ["z"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .Build();

    /// <summary>Raw scores as weights: negative and not summing to 1.</summary>
    public static OnnxModel NegativeWeights() =>
        Start("negative", ModelContract.FeaturesInput, 3, ScoreWeights(1))
            .AddInitializer(OnnxTensor.Float("minus_one", [], [-1f]))
            .AddInitializer(OnnxTensor.Float("one", [], [1f]))
            .AddNode("Mul", ["z", "minus_one"], ["neg"])
            .AddNode("Sub", ["neg", "one"], [ModelContract.WeightsOutput])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .Build();

    /// <summary>Valid on ordinary inputs (so it passes the smoke test), negative when feature 0 exceeds 100.</summary>
    public static OnnxModel Trap() =>
        Start("trap", ModelContract.FeaturesInput, 3, ScoreWeights(1))
            .AddNode("Softmax", ["z"], ["soft"], [OnnxAttribute.Int("axis", 1)])
            .AddInitializer(OnnxTensor.Int64("feature0", [], [0]))
            .AddInitializer(OnnxTensor.Float("hundred", [], [100f]))
            .AddNode("Gather", [ModelContract.FeaturesInput, "feature0"], ["f0"], [OnnxAttribute.Int("axis", 2)])
            .AddNode("Sub", ["f0", "hundred"], ["excess"])
            .AddNode("Relu", ["excess"], ["penalty"])
            .AddNode("Sub", ["soft", "penalty"], [ModelContract.WeightsOutput])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .Build();

    /// <summary>The linear model importing an opset no runtime has.</summary>
    public static OnnxModel FutureOpset() =>
        Start("future", ModelContract.FeaturesInput, 3, ScoreWeights(1))
            .ImportOpset(OnnxDomains.Default, 99)
            .AddNode("Softmax", ["z"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets")
            .Build();

    /// <summary>
    /// The plain computation of <see cref="Linear"/>: softmax over assets of features·w + 0.5·prev.
    /// </summary>
    public static double[] LinearByHand(float[][] features, double[] prev, float scale = 1f)
    {
        var w = ScoreWeights(scale);
        var z = new double[features.Length];
        for (var a = 0; a < features.Length; a++)
        {
            // float32 as in the graph, then widened.
            var s = 0f;
            for (var k = 0; k < w.Length; k++)
            {
                s += features[a][k] * w[k];
            }

            z[a] = s + (PrevScale * (float)prev[a]);
        }

        var max = z.Max();
        var total = z.Sum(v => Math.Exp(v - max));
        return [.. z.Select(v => Math.Exp(v - max) / total)];
    }

    private static OnnxModelBuilder Start(string graph, string featuresInput, int featureCount, float[] scoreWeights) =>
        new OnnxModelBuilder(graph)
            .WithProducer("predictive-service-tests", "1.0.0")
            .AddInput(featuresInput, OnnxDataType.Float, "batch", "assets", featureCount)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", "assets")
            .AddInitializer(OnnxTensor.Float("w", [featureCount, 1], scoreWeights))
            .AddInitializer(OnnxTensor.Int64("logit_shape", [2], [0, -1]))
            .AddInitializer(OnnxTensor.Float("prev_scale", [], [PrevScale]))
            .AddNode("MatMul", [featuresInput, "w"], ["score3"])
            .AddNode("Reshape", ["score3", "logit_shape"], ["score"])
            .AddNode("Mul", [ModelContract.PreviousWeightsInput, "prev_scale"], ["prev_term"])
            .AddNode("Add", ["score", "prev_term"], ["z"])
            .AddMetadata(ModelMetadataKeys.FeatureSpec, Spec.ToJson())
            .AddMetadata(ModelMetadataKeys.TrainingRange, "2021-01-01T00:00:00Z/2024-01-01T00:00:00Z")
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, """{"sharpe":1.0}""")
            .AddMetadata(ModelMetadataKeys.Seed, "42")
            .AddMetadata(ModelMetadataKeys.ProducerVersion, "0.1.0");
}
