using System.Text.Json;
using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;

namespace Predictive.Cli;

/// <summary>
/// ONNX models named on the command line by their directory, loaded through the same checks as the service
/// (hash, contract, feature count, smoke inference) and kept open for the length of one command.
/// </summary>
public sealed class ComparedModels(TimeProvider time) : IDisposable
{
    private readonly List<OnnxAllocatorModel> _models = [];

    /// <summary>Each loaded model's training data range as its manifest records it (<c>start/end</c>), or null.</summary>
    public List<(string Model, string? Range)> TrainingRanges { get; } = [];

    /// <summary>The end of a recorded training range, or null when the manifest records none.</summary>
    public static DateTimeOffset? RangeEnd(string? range) =>
        range?.Split('/') is [_, var end] && DateTimeOffset.TryParse(end, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static string? TrainingRange(string manifestPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(manifestPath));
        return doc.RootElement.TryGetProperty("training_range", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
    }

    /// <summary>
    /// The one way the command line names an allocator: an existing directory is an ONNX model package (loaded with
    /// <see cref="Load"/>, reading the features of its own spec), anything else a classical allocator's name (reading
    /// <paramref name="classicalSpec"/>).
    /// </summary>
    /// <exception cref="CliException">A directory holds no valid model, or the model does not fit the data.</exception>
    /// <exception cref="ArgumentException">The name is neither a directory nor a known allocator.</exception>
    public (IAllocator Allocator, FeatureSpec Spec) Resolve(string nameOrDirectory, IReadOnlyList<string> assets, FeatureSpec classicalSpec, AllocatorOptions? options = null) =>
        IsModelDirectory(nameOrDirectory) ? Load(nameOrDirectory, assets) : (Allocators.Create(nameOrDirectory, options), classicalSpec);

    /// <summary>Whether a command-line allocator name is a model directory rather than a classical allocator.</summary>
    public static bool IsModelDirectory(string nameOrDirectory) => Directory.Exists(nameOrDirectory);

    /// <summary>Loads the model in <paramref name="directory"/> and checks that it can trade <paramref name="assets"/>.</summary>
    /// <exception cref="CliException">The directory holds no valid model, or the model's contract does not fit the data.</exception>
    public (IAllocator Allocator, FeatureSpec Spec) Load(string directory, IReadOnlyList<string> assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        ModelManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath))
                ?? throw new CliException($"{manifestPath} is empty.");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            throw new CliException($"'{directory}' is not a model directory: {manifestPath}: {e.Message}");
        }

        var (model, refusal) = ModelLoader.Load(directory, manifest.Name, manifest.Version, time);
        if (model is null)
        {
            throw new CliException($"model '{directory}' was refused at the {refusal!.Stage} check: {refusal.Reason}");
        }

        _models.Add(model);
        if (model.FixedAssets is { } fixedAssets && !fixedAssets.SequenceEqual(assets, StringComparer.Ordinal))
        {
            throw new CliException($"model {model.Key} was trained on the assets [{string.Join(", ", fixedAssets)}] but the data trades [{string.Join(", ", assets)}]; pass --assets {string.Join(',', fixedAssets)} or use a model without a fixed asset list.");
        }

        TrainingRanges.Add((model.Key, TrainingRange(manifestPath)));
        return (new OnnxAllocator(model), model.FeatureSpec);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var m in _models)
        {
            m.Dispose();
        }
    }
}
