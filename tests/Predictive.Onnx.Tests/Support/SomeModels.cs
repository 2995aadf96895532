using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;

namespace Predictive.Onnx.Tests.Support;

/// <summary>Small models built with the writer, and the plain C# computations they must match.</summary>
internal static class SomeModels
{
    public const int Features = 3;
    public const int Hidden = 4;

    // Deterministic, irregular parameters: a bug that swaps axes or rows changes the result.
    public static readonly float[] W1 = [0.2f, -0.5f, 0.1f, 0.7f, -0.3f, 0.4f, 0.9f, -0.2f, 0.05f, 0.6f, -0.8f, 0.3f];
    public static readonly float[] B1 = [0.1f, -0.1f, 0.2f, 0f];
    public static readonly float[] W2 = [0.5f, -0.7f, 0.3f, 1.1f];
    public const float PrevScale = 0.8f;
    public const float MomentumScale = 0.25f;

    /// <summary>
    /// weights = softmax_assets( relu(features·W1 + b1)·W2 reshaped to [batch, assets]
    ///                          + PrevScale·prev_weights + MomentumScale·features[..., 0] ).
    /// </summary>
    public static OnnxModelBuilder Allocator() =>
        new OnnxModelBuilder("test-allocator")
            .WithProducer("predictive-tests", "1.2.3")
            .AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", "assets", Features)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", "assets")
            .AddInitializer(OnnxTensor.Float("w1", [Features, Hidden], W1))
            .AddInitializer(OnnxTensor.Float("b1", [Hidden], B1))
            .AddInitializer(OnnxTensor.Float("w2", [Hidden, 1], W2))
            .AddInitializer(OnnxTensor.Int64("logit_shape", [2], [0, -1]))
            .AddInitializer(OnnxTensor.Int64("feature0", [], [0]))
            .AddInitializer(OnnxTensor.Float("momentum_scale", [], [MomentumScale]))
            .AddNode("MatMul", [ModelContract.FeaturesInput, "w1"], ["h"])
            .AddNode("Add", ["h", "b1"], ["h_b"])
            .AddNode("Relu", ["h_b"], ["h_relu"])
            .AddNode("MatMul", ["h_relu", "w2"], ["score3"])
            .AddNode("Reshape", ["score3", "logit_shape"], ["score"])
            .AddNode("Constant", [], ["prev_scale"], [OnnxAttribute.Tensor("value", OnnxTensor.Float("", [], [PrevScale]))])
            .AddNode("Mul", [ModelContract.PreviousWeightsInput, "prev_scale"], ["prev_term"])
            .AddNode("Gather", [ModelContract.FeaturesInput, "feature0"], ["momentum"], [OnnxAttribute.Int("axis", 2)])
            .AddNode("Mul", ["momentum", "momentum_scale"], ["momentum_term"])
            .AddNode("Add", ["score", "prev_term"], ["z1"])
            .AddNode("Add", ["z1", "momentum_term"], ["z"])
            .AddNode("Softmax", ["z"], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", "assets");

    public static OnnxModelBuilder WithContractMetadata(this OnnxModelBuilder builder) =>
        builder
            .AddMetadata(ModelMetadataKeys.FeatureSpec, """{"features":["mom_20","vol_20","amihud_20"]}""")
            .AddMetadata(ModelMetadataKeys.TrainingRange, "2021-01-01T00:00:00Z/2024-01-01T00:00:00Z")
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, """{"sharpe":1.25,"turnover":0.4}""")
            .AddMetadata(ModelMetadataKeys.Seed, "42")
            .AddMetadata(ModelMetadataKeys.ProducerVersion, "0.1.0");

    public static float[] AllocatorByHand(float[] features, float[] prev, int batch, int assets)
    {
        var weights = new float[batch * assets];
        for (var b = 0; b < batch; b++)
        {
            var z = new double[assets];
            for (var a = 0; a < assets; a++)
            {
                var row = ((b * assets) + a) * Features;
                double score = 0;
                for (var h = 0; h < Hidden; h++)
                {
                    double pre = B1[h];
                    for (var f = 0; f < Features; f++)
                    {
                        pre += features[row + f] * W1[(f * Hidden) + h];
                    }

                    score += Math.Max(0, pre) * W2[h];
                }

                z[a] = score + (PrevScale * prev[(b * assets) + a]) + (MomentumScale * features[row]);
            }

            var max = z.Max();
            var total = z.Sum(v => Math.Exp(v - max));
            for (var a = 0; a < assets; a++)
            {
                weights[(b * assets) + a] = (float)(Math.Exp(z[a] - max) / total);
            }
        }

        return weights;
    }

    /// <summary>
    /// Two stumps, summed, plus base 0.1: tree 0 splits x0 ≤ 0.5 → 1.0 else 2.0;
    /// tree 1 splits x1 ≤ 1.0 → -0.5 else 0.25.
    /// </summary>
    public static OnnxModelBuilder TwoStumps() =>
        new OnnxModelBuilder("two-stumps")
            .ImportOpset(OnnxDomains.Ml, OnnxDomains.MlOpset)
            .AddInput("X", OnnxDataType.Float, "N", 2)
            .AddNode(
                "TreeEnsembleRegressor",
                ["X"],
                ["Y"],
                [
                    OnnxAttribute.Int("n_targets", 1),
                    OnnxAttribute.Ints("nodes_treeids", 0, 0, 0, 1, 1, 1),
                    OnnxAttribute.Ints("nodes_nodeids", 0, 1, 2, 0, 1, 2),
                    OnnxAttribute.Ints("nodes_featureids", 0, 0, 0, 1, 0, 0),
                    OnnxAttribute.Floats("nodes_values", 0.5f, 0, 0, 1.0f, 0, 0),
                    OnnxAttribute.Strings("nodes_modes", "BRANCH_LEQ", "LEAF", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"),
                    OnnxAttribute.Ints("nodes_truenodeids", 1, 0, 0, 1, 0, 0),
                    OnnxAttribute.Ints("nodes_falsenodeids", 2, 0, 0, 2, 0, 0),
                    OnnxAttribute.Ints("target_treeids", 0, 0, 1, 1),
                    OnnxAttribute.Ints("target_nodeids", 1, 2, 1, 2),
                    OnnxAttribute.Ints("target_ids", 0, 0, 0, 0),
                    OnnxAttribute.Floats("target_weights", 1.0f, 2.0f, -0.5f, 0.25f),
                    OnnxAttribute.Floats("base_values", 0.1f),
                    OnnxAttribute.String("aggregate_function", "SUM"),
                    OnnxAttribute.String("post_transform", "NONE"),
                ],
                domain: OnnxDomains.Ml)
            .AddOutput("Y", OnnxDataType.Float, "N", 1);
}
