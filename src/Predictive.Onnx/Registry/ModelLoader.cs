using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Predictive.Core.Features;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;

namespace Predictive.Onnx.Registry;

/// <summary>
/// Loads one model directory and runs every check, in order: integrity (manifest, SHA-256, name and version matching
/// the directory), opsets, session creation, the contract, the feature spec against the <c>features</c> input, and a
/// smoke inference. The first failure refuses the model.
/// </summary>
public static class ModelLoader
{
    /// <summary>The asset count of the smoke inference for models without a fixed asset list.</summary>
    public const int SmokeAssets = 5;

    /// <summary>Loads <paramref name="directory"/>, expected to hold <c>name/version</c>.</summary>
    /// <param name="directory">The model directory.</param>
    /// <param name="name">The expected name.</param>
    /// <param name="version">The expected version.</param>
    /// <param name="time">The clock for refusal times.</param>
    /// <param name="approval">When set, a file it does not approve is refused before it is parsed.</param>
    /// <returns>The model, or null and the refusal.</returns>
    public static (OnnxAllocatorModel? Model, ModelRefusal? Refusal) Load(string directory, string name, string version, TimeProvider time, IModelApproval? approval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(time);
        var key = $"{name}/{version}";
        ModelRefusal Refuse(string stage, string reason) => new(key, directory, stage, reason, time.GetUtcNow());

        ModelPackage package;
        try
        {
            package = ModelPackage.Open(directory);
        }
        catch (ModelIntegrityException e)
        {
            return (null, Refuse(RefusalStages.Integrity, e.Message));
        }

        if (package.Manifest.Name != name || package.Manifest.Version != version)
        {
            return (null, Refuse(RefusalStages.Integrity, $"model.json names '{package.Manifest.Name}/{package.Manifest.Version}' but the directory is '{key}'"));
        }

        // The package checked the file's SHA-256 against the manifest, so the manifest's hash is the file's.
        if (approval?.RefusalFor(name, version, package.Manifest.Sha256.ToLowerInvariant()) is { } notApproved)
        {
            return (null, Refuse(RefusalStages.Governance, notApproved));
        }

        try
        {
            var opsetProblems = OpsetPolicy.FindProblems(OpsetReader.Read(package.ModelBytes));
            if (opsetProblems.Count > 0)
            {
                return (null, Refuse(RefusalStages.Opset, string.Join("; ", opsetProblems)));
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            return (null, Refuse(RefusalStages.Opset, $"the file is not an ONNX model ({e.Message})"));
        }

        InferenceSession session;
        try
        {
            using var options = OnnxSessions.CreateOptions();
            session = package.CreateSession(options);
        }
        catch (OnnxRuntimeException e)
        {
            return (null, Refuse(RefusalStages.Session, $"ONNX Runtime cannot load the model: {e.Message}"));
        }

        var (model, refusal) = Check(session, package.Manifest, Refuse);
        if (model is null)
        {
            // Idempotent: a model refused after the smoke inference has already released it.
            session.Dispose();
        }

        return (model, refusal);
    }

    private static (OnnxAllocatorModel?, ModelRefusal?) Check(InferenceSession session, ModelManifest manifest, Func<string, string, ModelRefusal> refuse)
    {
        var contract = ModelContract.FindProblems(session);
        if (contract.Count > 0)
        {
            return (null, refuse(RefusalStages.Contract, string.Join("; ", contract)));
        }

        var metadata = session.ModelMetadata.CustomMetadataMap;
        FeatureSpec spec;
        try
        {
            spec = FeatureSpec.FromJson(metadata[ModelMetadataKeys.FeatureSpec]);
        }
        catch (FeatureSpecException e)
        {
            return (null, refuse(RefusalStages.FeatureSpec, $"metadata '{ModelMetadataKeys.FeatureSpec}' is not a valid feature spec: {e.Message}"));
        }

        var featureAxis = session.InputMetadata[ModelContract.FeaturesInput].Dimensions[2];
        if (featureAxis != spec.Features.Count)
        {
            var axis = featureAxis > 0 ? featureAxis.ToString(System.Globalization.CultureInfo.InvariantCulture) : "symbolic";
            return (null, refuse(RefusalStages.FeatureSpec, $"input 'features' has {axis} features but the feature spec lists {spec.Features.Count} ({string.Join(", ", spec.FeatureNames)})"));
        }

        IReadOnlyList<string>? assets = manifest.Assets;
        if (assets is null && metadata.TryGetValue(ModelMetadataKeys.Assets, out var assetJson) && !string.IsNullOrWhiteSpace(assetJson))
        {
            try
            {
                assets = JsonSerializer.Deserialize<string[]>(assetJson);
            }
            catch (JsonException e)
            {
                return (null, refuse(RefusalStages.Contract, $"metadata '{ModelMetadataKeys.Assets}' is not a JSON array of symbols ({e.Message})"));
            }
        }

        var model = new OnnxAllocatorModel(manifest.Name, manifest.Version, manifest.Sha256.ToLowerInvariant(), spec, assets, session);
        var smoke = Smoke(model);
        if (smoke is null)
        {
            return (model, null);
        }

        model.Retire();
        return (null, refuse(RefusalStages.Smoke, smoke));
    }

    /// <summary>Two deterministic portfolios (flat and varied features); returns the problem, or null.</summary>
    private static string? Smoke(OnnxAllocatorModel model)
    {
        var n = model.FixedAssets?.Count ?? SmokeAssets;
        var f = model.FeatureCount;
        var flat = new float[n * f];
        var varied = new float[n * f];
        for (var i = 0; i < varied.Length; i++)
        {
            varied[i] = (float)(0.5 * Math.Sin(i + 1));
        }

        var uniform = Enumerable.Repeat(1f / n, n).ToArray();
        var concentrated = new float[n];
        concentrated[0] = 1;
        try
        {
            BatchAllocator.Allocate(model, [new PortfolioInput(flat, uniform), new PortfolioInput(varied, concentrated)]);
            return null;
        }
        catch (ModelOutputException e)
        {
            return $"smoke inference on {n} assets: {string.Join("; ", e.Problems)}";
        }
        catch (OnnxRuntimeException e)
        {
            return $"smoke inference on {n} assets failed in ONNX Runtime: {e.Message}";
        }
    }
}
