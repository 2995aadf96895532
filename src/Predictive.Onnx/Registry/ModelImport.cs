using System.Security.Cryptography;
using System.Text.Json;
using Predictive.Onnx.Manifest;

namespace Predictive.Onnx.Registry;

/// <summary>
/// Brings an ONNX file exported elsewhere (PyTorch, scikit-learn, …) into a models directory: copies it to
/// <c>&lt;models&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx</c> and writes the <c>model.json</c> that pins its SHA-256.
/// A file that pins a model card (one trained here) takes its card from the <c>model.json</c> beside it
/// (<see cref="ModelCardSeal.CardFor"/>). Whether the model is served is then decided by the registry's checks.
/// </summary>
public static class ModelImport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Imports <paramref name="onnxFile"/> as <c>name/version</c>; returns the manifest written.</summary>
    /// <exception cref="IOException">The target directory already holds a model.</exception>
    /// <exception cref="InvalidDataException">The file pins a model card that no <c>model.json</c> beside it carries.</exception>
    public static ModelManifest Import(string onnxFile, string modelsDirectory, string name, string version, IReadOnlyList<string>? assets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        CheckSegment(name, nameof(name));
        CheckSegment(version, nameof(version));
        var bytes = File.ReadAllBytes(onnxFile);
        var card = ModelCardSeal.CardFor(bytes, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(onnxFile))!, ModelManifest.FileName));
        var directory = Path.Combine(modelsDirectory, name, version);
        if (File.Exists(Path.Combine(directory, ModelManifest.FileName)))
        {
            throw new IOException($"'{directory}' already holds a model; versions are immutable, pick a new version.");
        }

        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, ModelManifest.DefaultModelFile), bytes);
        var manifest = new ModelManifest(name, version, ModelManifest.DefaultModelFile, Convert.ToHexStringLower(SHA256.HashData(bytes)), assets is null ? null : [.. assets]);
        var json = JsonSerializer.SerializeToNode(manifest)!.AsObject();
        if (card is not null)
        {
            json[ModelCardSeal.Property] = card;
        }

        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), json.ToJsonString(JsonOptions));
        return manifest;
    }

    /// <summary>
    /// Imports <paramref name="onnxFile"/> as <c>name/version</c> only if it passes every check the service runs before
    /// serving a model (<see cref="ModelLoader.Load"/>): the file is first imported into a private staging folder and
    /// loaded there, and only a model the loader accepts is copied into <paramref name="modelsDirectory"/>. A refused
    /// model leaves the models directory untouched.
    /// </summary>
    /// <returns>The manifest written, or null and the refusal.</returns>
    /// <exception cref="IOException">The target directory already holds a model.</exception>
    public static (ModelManifest? Manifest, ModelRefusal? Refusal) ImportChecked(string onnxFile, string modelsDirectory, string name, string version, TimeProvider time, IReadOnlyList<string>? assets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelsDirectory);
        ArgumentNullException.ThrowIfNull(time);
        CheckSegment(name, nameof(name));
        CheckSegment(version, nameof(version));
        if (File.Exists(Path.Combine(modelsDirectory, name, version, ModelManifest.FileName)))
        {
            throw new IOException($"'{Path.Combine(modelsDirectory, name, version)}' already holds a model; versions are immutable, pick a new version.");
        }

        var staging = Directory.CreateTempSubdirectory("predictive-import-").FullName;
        try
        {
            Import(onnxFile, staging, name, version, assets);
            var staged = Path.Combine(staging, name, version);
            var (model, refusal) = ModelLoader.Load(staged, name, version, time);
            if (model is null)
            {
                return (null, refusal! with { Directory = Path.Combine(modelsDirectory, name, version) });
            }

            model.Retire();

            // The staged copy is the file that was checked; copying it (not the caller's file again) means nothing
            // can change between the check and the import.
            return (Import(Path.Combine(staged, ModelManifest.DefaultModelFile), modelsDirectory, name, version, assets), null);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
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
