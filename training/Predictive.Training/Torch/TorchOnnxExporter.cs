using System.Globalization;
using System.Text.Json;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using TorchSharp.Modules;

namespace Predictive.Training.Torch;

/// <summary>
/// Writes a trained <see cref="AllocatorNetwork"/> as an ONNX graph of standard operators (opset 17, IR 8) with the
/// model contract's inputs <c>features [batch, assets, features]</c>, <c>prev_weights [batch, assets]</c> and output
/// <c>weights [batch, assets]</c>.
/// </summary>
/// <remarks>
/// The graph recognises unavailable assets by NaN features (what the feature builder produces for unlisted assets or
/// short histories): any NaN among an asset's features makes it unavailable, its features count as 0, and its weight
/// is exactly 0. Everything else mirrors the torch forward pass operation by operation, including the optional EIIE
/// weight cap (its value is recorded under <c>predictive.max_weight</c>).
/// </remarks>
public static class TorchOnnxExporter
{
    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">A fixed-asset network comes without its asset list, or the list has the wrong length.</exception>
    public static OnnxModel Export(AllocatorNetwork network, OnnxExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        if (network.FixedAssetCount is { } fixedCount && (metadata.Assets is null || metadata.Assets.Count != fixedCount))
        {
            throw new ArgumentException($"the {network.Kind} network depends on a fixed list of {fixedCount} assets; metadata.Assets has {metadata.Assets?.Count.ToString(CultureInfo.InvariantCulture) ?? "none"}.", nameof(metadata));
        }

        var name = network.Kind == AllocatorModelKind.Eiie ? "eiie-allocator" : "mlp-allocator";
        var b = new OnnxModelBuilder(name)
            .WithProducer("Predictive.Training", metadata.ProducerVersion)
            .WithDocString($"{network.Kind} allocator, {network.FeatureCount} features, hidden {network.Hidden}; unavailable assets are marked by NaN features.");
        OnnxDim assets = network.FixedAssetCount is { } a ? a : "assets";
        b.AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", assets, network.FeatureCount)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", assets);
        AddPrelude(b, network.Scaler);
        switch (network)
        {
            case EiieNetwork eiie:
                AddEiie(b, eiie);
                break;
            case MlpNetwork mlp:
                AddMlp(b, mlp);
                break;
            default:
                throw new ArgumentException($"no exporter for {network.GetType().Name}.", nameof(network));
        }

        var cap = (network as EiieNetwork)?.MaxWeight;
        b.AddInitializer(OnnxTensor.Float("masked_logit", [], [AllocatorNetwork.MaskedLogit]))
            .AddNode("Where", ["unavailable", "masked_logit", "logits"], ["masked_logits"])
            .AddNode("Softmax", ["masked_logits"], [cap is null ? ModelContract.WeightsOutput : "softmax_weights"], [OnnxAttribute.Int("axis", 1)]);
        if (cap is { } c)
        {
            WeightCap.AddNodes(b, "softmax_weights", ModelContract.WeightsOutput, c);
            b.AddMetadata(WeightCap.MetadataKey, c.ToString("R", CultureInfo.InvariantCulture));
        }

        b.AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", assets);

        b.AddMetadata(ModelMetadataKeys.FeatureSpec, metadata.FeatureSpecJson)
            .AddMetadata(ModelMetadataKeys.TrainingRange, metadata.TrainingRange)
            .AddMetadata(ModelMetadataKeys.ValidationMetrics, metadata.ValidationMetricsJson)
            .AddMetadata(ModelMetadataKeys.Seed, metadata.Seed.ToString(CultureInfo.InvariantCulture))
            .AddMetadata(ModelMetadataKeys.ProducerVersion, metadata.ProducerVersion);
        if (network.FixedAssetCount is not null)
        {
            b.AddMetadata(ModelMetadataKeys.Assets, JsonSerializer.Serialize(metadata.Assets));
        }

        return b.Build();
    }

    // mask [B, A] (1 = available), mask3 [B, A, 1], unavailable [B, A] (bool), z [B, A, F] standardized and masked.
    private static void AddPrelude(OnnxModelBuilder b, FeatureScaler scaler)
    {
        b.AddInitializer(OnnxTensor.Float("mean", [scaler.FeatureCount], scaler.MeanArray))
            .AddInitializer(OnnxTensor.Float("inv_std", [scaler.FeatureCount], scaler.InvStdArray))
            .AddInitializer(OnnxTensor.Float("zero", [], [0f]))
            .AddInitializer(OnnxTensor.Float("one", [], [1f]))
            .AddInitializer(OnnxTensor.Float("clip_low", [], [-scaler.Clip]))
            .AddInitializer(OnnxTensor.Float("clip_high", [], [scaler.Clip]))
            .AddInitializer(OnnxTensor.Int64("axis_last", [1], [2]))
            .AddNode("IsNaN", [ModelContract.FeaturesInput], ["is_nan"])
            .AddNode("Cast", ["is_nan"], ["is_nan_f"], [OnnxAttribute.Int("to", (long)OnnxDataType.Float)])
            .AddNode("ReduceMax", ["is_nan_f"], ["any_nan"], [OnnxAttribute.Ints("axes", 2L), OnnxAttribute.Int("keepdims", 0)])
            .AddNode("Cast", ["any_nan"], ["unavailable"], [OnnxAttribute.Int("to", (long)OnnxDataType.Bool)])
            .AddNode("Sub", ["one", "any_nan"], ["mask"])
            .AddNode("Unsqueeze", ["mask", "axis_last"], ["mask3"])
            .AddNode("Where", ["is_nan", "zero", ModelContract.FeaturesInput], ["x0"])
            .AddNode("Sub", ["x0", "mean"], ["x_centered"])
            .AddNode("Mul", ["x_centered", "inv_std"], ["x_scaled"])
            .AddNode("Clip", ["x_scaled", "clip_low", "clip_high"], ["x_clipped"])
            .AddNode("Mul", ["x_clipped", "mask3"], ["z"]);
    }

    private static void AddEiie(OnnxModelBuilder b, EiieNetwork net)
    {
        Dense(b, "input", net.InputLayer);
        Dense(b, "own", net.OwnLayer);
        Dense(b, "context", net.ContextLayer);
        Dense(b, "score", net.ScoreLayer);
        b.AddInitializer(OnnxTensor.Int64("axis_assets", [1], [1]))
            .AddNode("Unsqueeze", [ModelContract.PreviousWeightsInput, "axis_last"], ["held3"])
            .AddNode("Concat", ["z", "held3"], ["asset_input"], [OnnxAttribute.Int("axis", 2)])
            .AddNode("MatMul", ["asset_input", "input_w"], ["input_mm"])
            .AddNode("Add", ["input_mm", "input_b"], ["input_pre"])
            .AddNode("Relu", ["input_pre"], ["h1"])
            .AddNode("Mul", ["h1", "mask3"], ["h1_masked"])
            .AddNode("ReduceSum", ["h1_masked", "axis_assets"], ["h1_sum"], [OnnxAttribute.Int("keepdims", 1)])
            .AddNode("ReduceSum", ["mask3", "axis_assets"], ["available_count"], [OnnxAttribute.Int("keepdims", 1)])
            .AddNode("Max", ["available_count", "one"], ["available_count_1"])
            .AddNode("Div", ["h1_sum", "available_count_1"], ["pooled"])
            .AddNode("MatMul", ["h1", "own_w"], ["own_mm"])
            .AddNode("Add", ["own_mm", "own_b"], ["own_out"])
            .AddNode("MatMul", ["pooled", "context_w"], ["context_out"])
            .AddNode("Add", ["own_out", "context_out"], ["h2_pre"])
            .AddNode("Relu", ["h2_pre"], ["h2"])
            .AddNode("MatMul", ["h2", "score_w"], ["score_mm"])
            .AddNode("Add", ["score_mm", "score_b"], ["score3"])
            .AddNode("Squeeze", ["score3", "axis_last"], ["logits"]);
    }

    private static void AddMlp(OnnxModelBuilder b, MlpNetwork net)
    {
        Dense(b, "layer1", net.Layer1);
        Dense(b, "layer2", net.Layer2);
        Dense(b, "output", net.OutputLayer);
        b.AddInitializer(OnnxTensor.Int64("flat_shape", [2], [0, (long)net.AssetCount * net.FeatureCount]))
            .AddNode("Reshape", ["z", "flat_shape"], ["z_flat"])
            .AddNode("Concat", ["z_flat", ModelContract.PreviousWeightsInput], ["flat"], [OnnxAttribute.Int("axis", 1)])
            .AddNode("MatMul", ["flat", "layer1_w"], ["layer1_mm"])
            .AddNode("Add", ["layer1_mm", "layer1_b"], ["layer1_pre"])
            .AddNode("Relu", ["layer1_pre"], ["layer1_out"])
            .AddNode("MatMul", ["layer1_out", "layer2_w"], ["layer2_mm"])
            .AddNode("Add", ["layer2_mm", "layer2_b"], ["layer2_pre"])
            .AddNode("Relu", ["layer2_pre"], ["layer2_out"])
            .AddNode("MatMul", ["layer2_out", "output_w"], ["output_mm"])
            .AddNode("Add", ["output_mm", "output_b"], ["logits"]);
    }

    // torch's Linear computes x·Wᵀ + b with W stored [out, in]; MatMul wants [in, out].
    private static void Dense(OnnxModelBuilder b, string prefix, Linear layer)
    {
        var weight = layer.weight ?? throw new InvalidOperationException($"layer '{prefix}' has no weight.");
        var outputs = (int)weight.shape[0];
        var inputs = (int)weight.shape[1];
        var w = weight.data<float>().ToArray();
        var transposed = new float[w.Length];
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                transposed[(i * outputs) + o] = w[(o * inputs) + i];
            }
        }

        b.AddInitializer(OnnxTensor.Float($"{prefix}_w", [inputs, outputs], transposed));
        if (layer.bias is { } bias)
        {
            b.AddInitializer(OnnxTensor.Float($"{prefix}_b", [outputs], bias.data<float>().ToArray()));
        }
    }
}
