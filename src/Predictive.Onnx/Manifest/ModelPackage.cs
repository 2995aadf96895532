using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Graph;

namespace Predictive.Onnx.Manifest;

/// <summary>
/// A model directory (<c>model.onnx</c> + <c>model.json</c>) whose ONNX bytes matched the manifest's SHA-256.
/// The verified bytes are what a session is created from, so the file cannot change between check and load.
/// </summary>
public sealed class ModelPackage
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly byte[] _modelBytes;

    private ModelPackage(ModelManifest manifest, byte[] modelBytes)
    {
        Manifest = manifest;
        _modelBytes = modelBytes;
    }

    /// <summary>The manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The verified ONNX bytes.</summary>
    public ReadOnlySpan<byte> ModelBytes => _modelBytes;

    /// <summary>Writes <paramref name="model"/> and its manifest into <paramref name="directory"/>, creating it.</summary>
    /// <returns>The manifest written.</returns>
    public static ModelManifest Write(string directory, OnnxModel model, string name, string version, IReadOnlyList<string>? assets = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        System.IO.Directory.CreateDirectory(directory);
        var bytes = model.ToByteArray();
        File.WriteAllBytes(Path.Combine(directory, ModelManifest.DefaultModelFile), bytes);
        var manifest = new ModelManifest(name, version, ModelManifest.DefaultModelFile, Sha256Hex(bytes), assets is null ? null : [.. assets]);
        File.WriteAllText(Path.Combine(directory, ModelManifest.FileName), JsonSerializer.Serialize(manifest, JsonOptions));
        return manifest;
    }

    /// <summary>Reads a model directory, checks the ONNX file against the manifest's hash and the manifest's model card against the hash the model pins (<see cref="ModelCardSeal"/>).</summary>
    /// <exception cref="ModelIntegrityException">The manifest is missing or invalid, the hash does not match, or the model card was added, removed or changed after training.</exception>
    public static ModelPackage Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            throw new ModelIntegrityException(directory, $"{ModelManifest.FileName} is missing");
        }

        ModelManifest? manifest;
        JsonObject? manifestJson;
        try
        {
            var text = File.ReadAllText(manifestPath);
            manifest = JsonSerializer.Deserialize<ModelManifest>(text);
            manifestJson = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException e)
        {
            throw new ModelIntegrityException(directory, $"{ModelManifest.FileName} is not valid JSON ({e.Message})", e);
        }

        if (manifest is null || manifestJson is null || string.IsNullOrWhiteSpace(manifest.ModelFile) || string.IsNullOrWhiteSpace(manifest.Sha256))
        {
            throw new ModelIntegrityException(directory, $"{ModelManifest.FileName} lacks model_file or sha256");
        }

        if (Path.GetFileName(manifest.ModelFile) != manifest.ModelFile)
        {
            throw new ModelIntegrityException(directory, $"model_file '{manifest.ModelFile}' must be a file name beside the manifest");
        }

        var modelPath = Path.Combine(directory, manifest.ModelFile);
        if (!File.Exists(modelPath))
        {
            throw new ModelIntegrityException(directory, $"{manifest.ModelFile} is missing");
        }

        var bytes = File.ReadAllBytes(modelPath);
        var actual = Sha256Hex(bytes);
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelIntegrityException(directory, $"{manifest.ModelFile} has SHA-256 {actual}, but the manifest pins {manifest.Sha256}");
        }

        ModelCardSeal.Verify(directory, manifestJson, bytes);
        return new ModelPackage(manifest, bytes);
    }

    /// <summary>Creates an ONNX Runtime session from the verified bytes.</summary>
    public InferenceSession CreateSession(SessionOptions? options = null) =>
        options is null ? new InferenceSession(_modelBytes) : new InferenceSession(_modelBytes, options);

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
