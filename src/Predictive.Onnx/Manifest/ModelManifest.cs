using System.Text.Json.Serialization;

namespace Predictive.Onnx.Manifest;

/// <summary>
/// <c>model.json</c>, written beside <c>model.onnx</c>: it pins the model file's SHA-256 so that nothing
/// loads a model other than the one that was exported.
/// </summary>
/// <param name="Name">The model's name, for example <c>mlp-allocator</c>.</param>
/// <param name="Version">The model's version, for example <c>2025-06-01.1</c>.</param>
/// <param name="ModelFile">The ONNX file's name, relative to the manifest.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the ONNX file.</param>
/// <param name="Assets">The fixed asset list, for models that depend on one; otherwise null.</param>
public sealed record ModelManifest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("model_file")] string ModelFile,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("assets")] IReadOnlyList<string>? Assets)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "model.json";

    /// <summary>The model's default file name.</summary>
    public const string DefaultModelFile = "model.onnx";
}
