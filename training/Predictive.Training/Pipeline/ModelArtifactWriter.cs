using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Manifest;

namespace Predictive.Training.Pipeline;

/// <summary>
/// Writes <c>model.onnx</c> and <c>model.json</c> with <see cref="ModelPackage.Write"/>, then adds the training record
/// (feature spec, data ranges, walk-forward metrics, seed, command line) and the model card to <c>model.json</c>.
/// </summary>
/// <remarks>The training record sits beside the manifest's own properties and <see cref="ModelPackage.Open"/> ignores
/// it. The card does not: its SHA-256 is written into the ONNX metadata first (<see cref="ModelCardSeal"/>), so the
/// manifest's pinned hash of <c>model.onnx</c> covers the card and <see cref="ModelPackage.Open"/> refuses a card
/// changed afterwards.</remarks>
public static class ModelArtifactWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the package and returns its manifest.</summary>
    /// <param name="directory">The model directory (created if needed).</param>
    /// <param name="model">The exported model.</param>
    /// <param name="name">The manifest's name.</param>
    /// <param name="version">The manifest's version.</param>
    /// <param name="assets">The fixed asset list, or null.</param>
    /// <param name="trainingRecord">Properties added to <c>model.json</c>.</param>
    /// <param name="card">The model card (written as <c>card</c> and pinned in the model), or null for none.</param>
    /// <exception cref="ArgumentException">A training-record key collides with a manifest property or the card.</exception>
    public static ModelManifest Write(string directory, OnnxModel model, string name, string version, IReadOnlyList<string>? assets, JsonObject trainingRecord, JsonObject? card = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainingRecord);
        if (card is not null)
        {
            model = model.WithMetadata(ModelMetadataKeys.ModelCardSha256, ModelCardSeal.Hash(card));
        }

        var manifest = ModelPackage.Write(directory, model, name, version, assets);
        var path = Path.Combine(directory, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var (key, value) in trainingRecord)
        {
            Add(json, key, value);
        }

        if (card is not null)
        {
            Add(json, ModelCardSeal.Property, card);
        }

        File.WriteAllText(path, json.ToJsonString(Indented));
        return manifest;
    }

    private static void Add(JsonObject json, string key, JsonNode? value)
    {
        if (json.ContainsKey(key))
        {
            throw new ArgumentException($"training record key '{key}' collides with a manifest property or the card.", nameof(json));
        }

        json[key] = value?.DeepClone();
    }
}
