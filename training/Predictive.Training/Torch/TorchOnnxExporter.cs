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
/// <para>The graph recognises unavailable assets by non-finite features (the feature builder writes NaN for unlisted
/// assets or short histories): any NaN or ±∞ among an asset's features makes it unavailable, its features count as 0,
/// and its weight is exactly 0. Everything else computes the torch forward pass, including the optional EIIE weight cap
/// (its value is recorded under <c>predictive.max_weight</c>) and the optional tilt toward 1/N or the diagonal minimum-variance portfolio (<c>predictive.anchor_tilt</c>,
/// <c>predictive.anchor</c>).</para>
/// <para>The graph is laid out for ONNX Runtime's CPU kernels rather than copied operation by operation: per-asset
/// layers run on <c>[batch·assets, ·]</c> rows as <c>Gemm</c> (bias inside the GEMM, ReLU fused by ORT) instead of 3-D
/// <c>MatMul</c> plus broadcast <c>Add</c>, whose short broadcast spans ORT loops over slowly. So the same math takes
/// about half the time on a 1,000-portfolio batch. The deviations from torch are roundings: standardization is one
/// <c>Gemm</c> with <c>diag(invStd)</c> and bias <c>−mean·invStd</c>, the asset mean is a batched <c>MatMul</c> with
/// weights <c>mask / count</c>. One step is skipped, exactly: the EIIE does not zero an unavailable asset's standardized
/// features, because they reach nothing but that asset's own logit (replaced by the masked logit) and the asset mean
/// (where the asset weighs 0).</para>
/// </remarks>
public static class TorchOnnxExporter
{
    /// <summary>The metadata key recording how many networks an ensemble graph averages.</summary>
    public const string EnsembleMembersKey = "predictive.ensemble_members";

    /// <summary>Builds the ONNX model of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">A fixed-asset network comes without its asset list, or the list has the wrong length.</exception>
    public static OnnxModel Export(AllocatorNetwork network, OnnxExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Build([network], metadata);
    }

    /// <summary>
    /// Builds <b>one</b> ONNX graph of an ensemble (<see cref="AllocatorEnsemble"/>): every member's network under its
    /// own name prefix (<c>m0_</c>, <c>m1_</c>, …) on the shared inputs, and the mean of their weights as the output.
    /// </summary>
    /// <exception cref="ArgumentException">The members differ in kind, feature count, fixed asset count, tilt, anchor or cap, or a fixed-asset member comes without its asset list.</exception>
    public static OnnxModel Export(AllocatorEnsemble ensemble, OnnxExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var first = ensemble.Members[0];
        if (ensemble.Members.Any(m => m.Kind != first.Kind || m.FeatureCount != first.FeatureCount || m.FixedAssetCount != first.FixedAssetCount
            || m.Tilt != first.Tilt || m.AnchorFeature != first.AnchorFeature || (m as EiieNetwork)?.MaxWeight != (first as EiieNetwork)?.MaxWeight))
        {
            throw new ArgumentException("every member of an exported ensemble must be the same kind of network with the same features, asset count, tilt, anchor and weight cap (the graph's metadata records one of each).", nameof(ensemble));
        }

        return Build(ensemble.Members, metadata);
    }

    private static OnnxModel Build(IReadOnlyList<AllocatorNetwork> networks, OnnxExportMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var network = networks[0];
        if (network.FixedAssetCount is { } fixedCount && (metadata.Assets is null || metadata.Assets.Count != fixedCount))
        {
            throw new ArgumentException($"the {network.Kind} network depends on a fixed list of {fixedCount} assets; metadata.Assets has {metadata.Assets?.Count.ToString(CultureInfo.InvariantCulture) ?? "none"}.", nameof(metadata));
        }

        var name = network.Kind == AllocatorModelKind.Eiie ? "eiie-allocator" : "mlp-allocator";
        var members = networks.Count == 1 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"ensemble of {networks.Count}: ");
        var b = new OnnxModelBuilder(name)
            .WithProducer("Predictive.Training", metadata.ProducerVersion)
            .WithDocString($"{members}{network.Kind} allocator, {network.FeatureCount} features, hidden {network.Hidden}; unavailable assets are marked by NaN features.");
        OnnxDim assets = network.FixedAssetCount is { } a ? a : "assets";
        b.AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", assets, network.FeatureCount)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", assets);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var scopes = networks.Count == 1
            ? [new OnnxScope(b, string.Empty, keys)]
            : networks.Select((_, k) => new OnnxScope(b, string.Create(CultureInfo.InvariantCulture, $"m{k}_"), keys)).ToList();
        AddPrelude(b, scopes[0], network.Scaler);
        for (var k = 0; k < networks.Count; k++)
        {
            if (k > 0)
            {
                AddScaling(scopes[k], networks[k].Scaler);
            }

            AddNetwork(scopes[k], networks[k]);
        }

        if (networks.Count > 1)
        {
            var outputs = scopes.Select(g => g.Name(ModelContract.WeightsOutput)).ToList();

            b.AddInitializer(OnnxTensor.Float("ensemble_count", [], [networks.Count]))
                .AddNode("Sum", outputs, ["ensemble_sum"])
                .AddNode("Div", ["ensemble_sum", "ensemble_count"], [ModelContract.WeightsOutput])
                .AddMetadata(EnsembleMembersKey, networks.Count.ToString(CultureInfo.InvariantCulture));
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

    // The shared availability part — mask [B, A] (1 = available), unavailable [B, A] (bool), x_rows [B·A, F] with 0
    // where not finite — and the first network's scaling to z_rows [B·A, F] (standardized, clipped, not masked), written
    // in the order a single network's graph always had, so its bytes (and the bundled models' SHA-256) do not change.
    private static void AddPrelude(OnnxModelBuilder b, OnnxScope first, FeatureScaler scaler)
    {
        var f = scaler.FeatureCount;
        var (scale, shift) = ScaleInitializers(scaler);
        first.Float("scale_diag", [f, f], scale).Float("scale_shift", [f], shift);
        b.AddInitializer(OnnxTensor.Float("zero", [], [0f]))
            .AddInitializer(OnnxTensor.Float("one", [], [1f]));
        first.Float("clip_low", [], [-scaler.Clip]).Float("clip_high", [], [scaler.Clip]);
        b.AddInitializer(OnnxTensor.Int64("feature_rows", [2], [-1, f]))
            .AddInitializer(OnnxTensor.Int64("one_column", [2], [-1, 1]))
            .AddInitializer(OnnxTensor.Int64("axis_assets", [1], [1]))

            // x − x is NaN exactly where x is NaN or ±∞; a zero there keeps every row finite for the GEMMs.
            .AddNode("Sub", [ModelContract.FeaturesInput, ModelContract.FeaturesInput], ["self_difference"])
            .AddNode("IsNaN", ["self_difference"], ["not_finite"])
            .AddNode("Cast", ["not_finite"], ["not_finite_f"], [OnnxAttribute.Int("to", (long)OnnxDataType.Float)])
            .AddNode("ReduceMax", ["not_finite_f"], ["any_not_finite"], [OnnxAttribute.Ints("axes", 2L), OnnxAttribute.Int("keepdims", 0)])
            .AddNode("Cast", ["any_not_finite"], ["unavailable"], [OnnxAttribute.Int("to", (long)OnnxDataType.Bool)])
            .AddNode("Sub", ["one", "any_not_finite"], ["mask"])
            .AddNode("Where", ["not_finite", "zero", ModelContract.FeaturesInput], ["x0"])
            .AddNode("Reshape", ["x0", "feature_rows"], ["x_rows"]);
        first.Node("Gemm", ["x_rows", "scale_diag", "scale_shift"], ["x_scaled"])
            .Node("Clip", ["x_scaled", "clip_low", "clip_high"], ["z_rows"]);
    }

    // A later ensemble member's own scaling to its z_rows.
    private static void AddScaling(OnnxScope g, FeatureScaler scaler)
    {
        var f = scaler.FeatureCount;
        var (scale, shift) = ScaleInitializers(scaler);
        g.Float("scale_diag", [f, f], scale)
            .Float("scale_shift", [f], shift)
            .Float("clip_low", [], [-scaler.Clip])
            .Float("clip_high", [], [scaler.Clip])
            .Node("Gemm", ["x_rows", "scale_diag", "scale_shift"], ["x_scaled"])
            .Node("Clip", ["x_scaled", "clip_low", "clip_high"], ["z_rows"]);
    }

    // Standardization as one GEMM: diag(invStd) and the bias −mean·invStd.
    private static (float[] Scale, float[] Shift) ScaleInitializers(FeatureScaler scaler)
    {
        var f = scaler.FeatureCount;
        var scale = new float[f * f];
        var shift = new float[f];
        for (var k = 0; k < f; k++)
        {
            scale[(k * f) + k] = scaler.InvStdArray[k];
            shift[k] = -scaler.MeanArray[k] * scaler.InvStdArray[k];
        }

        return (scale, shift);
    }

    // One network, features to weights (the scope's name for "weights"): its scaling, layers, masked softmax, cap and tilt.
    private static void AddNetwork(OnnxScope g, AllocatorNetwork network)
    {
        switch (network)
        {
            case EiieNetwork eiie:
                AddEiie(g, eiie);
                break;
            case MlpNetwork mlp:
                AddMlp(g, mlp);
                break;
            default:
                throw new ArgumentException($"no exporter for {network.GetType().Name}.", nameof(network));
        }

        var cap = (network as EiieNetwork)?.MaxWeight;
        var tilted = network.Tilt < 1;
        var capped = tilted ? "network_weights" : ModelContract.WeightsOutput;
        g.Float("masked_logit", [], [AllocatorNetwork.MaskedLogit])
            .Node("Where", ["unavailable", "masked_logit", "logits"], ["masked_logits"])
            .Node("Softmax", ["masked_logits"], [cap is null ? capped : "softmax_weights"], [OnnxAttribute.Int("axis", 1)]);
        if (cap is { } c)
        {
            WeightCap.AddNodes(g, "softmax_weights", capped, c);
            g.Metadata(WeightCap.MetadataKey, c.ToString("R", CultureInfo.InvariantCulture));
        }

        if (tilted)
        {
            AnchorTilt.AddNodes(g, capped, ModelContract.WeightsOutput, network.Tilt, network.AnchorFeature);
        }
    }

    // Every per-asset layer works on [B·A, ·] rows; only the asset mean needs [B, A, H].
    private static void AddEiie(OnnxScope g, EiieNetwork net)
    {
        var h = net.Hidden;
        Dense(g, "input", net.InputLayer);
        Dense(g, "own", net.OwnLayer);
        Dense(g, "context", net.ContextLayer);
        var score = net.ScoreLayer;
        g.Float("score_w", [1, h], Values(score.weight, "score"))
            .Float("score_b", [1], Values(score.bias, "score"))
            .Int64("hidden", [1], [h])
            .Int64("hidden_rows", [2], [-1, h])
            .Node("Reshape", [ModelContract.PreviousWeightsInput, "one_column"], ["held_rows"])
            .Node("Concat", ["z_rows", "held_rows"], ["asset_input"], [OnnxAttribute.Int("axis", 1)])
            .Node("Gemm", ["asset_input", "input_w", "input_b"], ["input_pre"])
            .Node("Relu", ["input_pre"], ["h1"])

            // pooled [B, 1, H] = (mask / max(count, 1)) · h1 per portfolio: the mean over available assets.
            .Node("Shape", [ModelContract.PreviousWeightsInput], ["shape_ba"])
            .Node("Concat", ["shape_ba", "hidden"], ["shape_bah"], [OnnxAttribute.Int("axis", 0)])
            .Node("Reshape", ["h1", "shape_bah"], ["h1_3d"])
            .Node("ReduceSum", ["mask", "axis_assets"], ["available_count"], [OnnxAttribute.Int("keepdims", 1)])
            .Node("Max", ["available_count", "one"], ["available_count_1"])
            .Node("Div", ["mask", "available_count_1"], ["pool_weights"])
            .Node("Unsqueeze", ["pool_weights", "axis_assets"], ["pool_row"])
            .Node("MatMul", ["pool_row", "h1_3d"], ["pooled"])

            // h2 = relu(h1·Wo + (pooled·Wc + bo)), the per-portfolio term copied to each asset's row of the GEMM's C.
            .Node("Reshape", ["pooled", "hidden_rows"], ["pooled_rows"])
            .Node("Gemm", ["pooled_rows", "context_w", "own_b"], ["context_out"])
            .Node("Unsqueeze", ["context_out", "axis_assets"], ["context_3d"])
            .Node("Expand", ["context_3d", "shape_bah"], ["context_each"])
            .Node("Reshape", ["context_each", "hidden_rows"], ["context_rows"])
            .Node("Gemm", ["h1", "own_w", "context_rows"], ["h2_pre"])
            .Node("Relu", ["h2_pre"], ["h2"])

            // logits as one row [1, B·A] = w3 · h2ᵀ + b3: ORT runs this GEMM far faster than one with a single output column.
            .Node("Gemm", ["score_w", "h2", "score_b"], ["score_row"], [OnnxAttribute.Int("transB", 1)])
            .Node("Reshape", ["score_row", "shape_ba"], ["logits"]);
    }

    private static void AddMlp(OnnxScope g, MlpNetwork net)
    {
        Dense(g, "layer1", net.Layer1);
        Dense(g, "layer2", net.Layer2);
        Dense(g, "output", net.OutputLayer);
        g.Int64("flat_shape", [2], [-1, (long)net.AssetCount * net.FeatureCount])
            .Node("Reshape", ["mask", "one_column"], ["mask_rows"])
            .Node("Mul", ["z_rows", "mask_rows"], ["z_masked"])
            .Node("Reshape", ["z_masked", "flat_shape"], ["z_flat"])
            .Node("Concat", ["z_flat", ModelContract.PreviousWeightsInput], ["flat"], [OnnxAttribute.Int("axis", 1)])
            .Node("Gemm", ["flat", "layer1_w", "layer1_b"], ["layer1_pre"])
            .Node("Relu", ["layer1_pre"], ["layer1_out"])
            .Node("Gemm", ["layer1_out", "layer2_w", "layer2_b"], ["layer2_pre"])
            .Node("Relu", ["layer2_pre"], ["layer2_out"])
            .Node("Gemm", ["layer2_out", "output_w", "output_b"], ["logits"]);
    }

    // torch's Linear computes x·Wᵀ + b with W stored [out, in]; Gemm (without transB) wants [in, out].
    private static void Dense(OnnxScope g, string prefix, Linear layer)
    {
        var weight = layer.weight ?? throw new InvalidOperationException($"layer '{prefix}' has no weight.");
        var outputs = (int)weight.shape[0];
        var inputs = (int)weight.shape[1];
        var w = Values(weight, prefix);
        var transposed = new float[w.Length];
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                transposed[(i * outputs) + o] = w[(o * inputs) + i];
            }
        }

        g.Float($"{prefix}_w", [inputs, outputs], transposed);
        if (layer.bias is { } bias)
        {
            g.Float($"{prefix}_b", [outputs], Values(bias, prefix));
        }
    }

    private static float[] Values(TorchSharp.torch.Tensor? tensor, string layer) =>
        tensor?.data<float>().ToArray() ?? throw new InvalidOperationException($"layer '{layer}' lacks a weight or bias.");
}
