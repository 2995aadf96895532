using System.Text.Json;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;

namespace Predictive.Service.Dashboard.Models;

/// <summary>The answer of <c>GET /v1/models/{name}/{version}</c>: what a loaded model is, read from its verified ONNX file.</summary>
/// <param name="Name">The model name.</param>
/// <param name="Version">The model version.</param>
/// <param name="Sha256">The SHA-256 of its ONNX file.</param>
/// <param name="TrainingRange">The training data range, ISO-8601 <c>start/end</c>.</param>
/// <param name="ValidationMetrics">Validation metrics, name → value; a metric that is not a finite number is null.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="ProducerVersion">The Predictive build that produced the model.</param>
/// <param name="FeatureSpecVersion">The feature spec's version.</param>
/// <param name="Features">The features, in input order.</param>
/// <param name="Assets">The fixed asset list, or null when the model takes any assets.</param>
/// <param name="IsDefault">Whether it is the default model.</param>
/// <param name="ActiveFor">Portfolios for which it is active.</param>
public sealed record ModelCard(
    string Name,
    string Version,
    string Sha256,
    string? TrainingRange,
    IReadOnlyDictionary<string, double?> ValidationMetrics,
    string? Seed,
    string? ProducerVersion,
    int FeatureSpecVersion,
    IReadOnlyList<FeatureRow> Features,
    IReadOnlyList<string>? Assets,
    bool IsDefault,
    IReadOnlyList<string> ActiveFor)
{
    /// <summary>The card of <paramref name="key"/> (<c>name/version</c>) in <paramref name="snapshot"/>, or null when it is not loaded.</summary>
    public static ModelCard? Of(RegistrySnapshot snapshot, string key)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!snapshot.Loaded.TryGetValue(key, out var model))
        {
            return null;
        }

        return new ModelCard(
            model.Name,
            model.Version,
            model.Sha256,
            model.Metadata.GetValueOrDefault(ModelMetadataKeys.TrainingRange),
            Metrics(model),
            model.Metadata.GetValueOrDefault(ModelMetadataKeys.Seed),
            model.Metadata.GetValueOrDefault(ModelMetadataKeys.ProducerVersion),
            model.FeatureSpec.Version,
            [.. model.FeatureSpec.Features.Select(f => new FeatureRow(f.Name, JsonNamingPolicy.CamelCase.ConvertName(f.Kind.ToString()), f.Window, JsonNamingPolicy.CamelCase.ConvertName(f.Normalization.ToString())))],
            model.FixedAssets,
            model.Key == snapshot.DefaultKey,
            [.. snapshot.Active.Where(p => p.Value == model.Key).Select(p => p.Key).Order(StringComparer.Ordinal)]);
    }

    // The contract requires the key and a JSON object; the loader has checked neither's values, so anything else is shown as absent.
    private static SortedDictionary<string, double?> Metrics(OnnxAllocatorModel model)
    {
        var metrics = new SortedDictionary<string, double?>(StringComparer.Ordinal);
        if (!model.Metadata.TryGetValue(ModelMetadataKeys.ValidationMetrics, out var json))
        {
            return metrics;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return metrics;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                metrics[property.Name] = property.Value.ValueKind == JsonValueKind.Number && double.IsFinite(property.Value.GetDouble())
                    ? property.Value.GetDouble()
                    : null;
            }
        }
        catch (JsonException)
        {
            metrics["(unreadable)"] = null;
        }

        return metrics;
    }
}

/// <summary>One feature of a model card.</summary>
/// <param name="Name">The column name (for example <c>logReturn_7</c>).</param>
/// <param name="Kind">What it measures.</param>
/// <param name="Window">The look-back in bars.</param>
/// <param name="Normalization">The transform applied.</param>
public sealed record FeatureRow(string Name, string Kind, int Window, string Normalization);
