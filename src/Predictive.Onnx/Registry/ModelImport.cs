using System.Security.Cryptography;
using System.Text.Json;
using Predictive.Onnx.Manifest;

namespace Predictive.Onnx.Registry;

/// <summary>
/// Brings an ONNX file exported elsewhere (PyTorch, scikit-learn, …) into a models directory: copies it to
/// <c>&lt;models&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c> and writes the <c>model.json</c> that pins its SHA-256.
/// Whether the model is served is then decided by the registry's checks.
/// </summary>
public static class ModelImport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Imports <paramref name="onnxFile"/> as <c>name/version</c>; returns the manifest written.</summary>
    /// <exception cref="IOException">The target directory already holds a model.</exception>
    public static ModelManifest Import(string onnxFile, string modelsDirectory, string name, string version, IReadOnlyList<string>? assets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        CheckSegment(name, nameof(name));
        CheckSegment(version, nameof(version));
        var bytes = File.ReadAllBytes(onnxFile);
        var directory = Path.Combine(modelsDirectory, name, version);
        if (File.Exists(Path.Combine(directory, ModelManifest.FileName)))
        {
            throw new IOException($"'{directory}' already holds a model; versions are immutable, pick a new version.");
        }

        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, ModelManifest.DefaultModelFile), bytes);
        var manifest = new ModelManifest(name, version, ModelManifest.DefaultModelFile, Convert.ToHexStringLower(SHA256.HashData(bytes)), assets is null ? null : [.. assets]);
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), JsonSerializer.Serialize(manifest, JsonOptions));
        return manifest;
    }

    private static void CheckSegment(string value, string parameter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameter);
        if (value.IndexOfAny(['/', '\\']) >= 0 || value is "." or ".." || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{value}' must be a single directory name.", parameter);
        }
    }
}
