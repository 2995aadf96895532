using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Manifest;

namespace Predictive.Training.Pipeline;

/// <summary>
/// Writes <c>model.onnx</c> and <c>model.json</c> with <see cref="ModelPackage.Write"/>, then adds the training record
/// (feature spec, data ranges, walk-forward metrics, seed, command line) to <c>model.json</c>.
/// </summary>
/// <remarks>The added properties sit beside the manifest's own; <see cref="ModelPackage.Open"/> ignores them, so the
/// SHA-256 check is unchanged.</remarks>
public static class ModelArtifactWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the package and returns its manifest.</summary>
    /// <exception cref="ArgumentException">A training-record key collides with a manifest property.</exception>
    public static ModelManifest Write(string directory, OnnxModel model, string name, string version, IReadOnlyList<string>? assets, JsonObject trainingRecord)
    {
        ArgumentNullException.ThrowIfNull(trainingRecord);
        var manifest = ModelPackage.Write(directory, model, name, version, assets);
        var path = Path.Combine(directory, ModelManifest.FileName);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        foreach (var (key, value) in trainingRecord)
        {
            if (json.ContainsKey(key))
            {
                throw new ArgumentException($"training record key '{key}' collides with a manifest property.", nameof(trainingRecord));
            }

            json[key] = value?.DeepClone();
        }

        File.WriteAllText(path, json.ToJsonString(Indented));
        return manifest;
    }
}
