using Predictive.Onnx.Inference;

namespace Predictive.Onnx.Registry;

/// <summary>
/// An immutable view of the registry: loaded models, refusals, the default model and each portfolio's active model.
/// The registry swaps whole snapshots atomically, so a reader never sees a half-made change.
/// </summary>
public sealed class RegistrySnapshot
{
    internal RegistrySnapshot(
        IReadOnlyDictionary<string, OnnxAllocatorModel> loaded,
        IReadOnlyList<ModelRefusal> refused,
        string? defaultKey,
        IReadOnlyDictionary<string, string> active,
        long generation)
    {
        Loaded = loaded;
        Refused = refused;
        DefaultKey = defaultKey;
        Active = active;
        Generation = generation;
    }

    /// <summary>An empty registry.</summary>
    public static RegistrySnapshot Empty { get; } = new(new Dictionary<string, OnnxAllocatorModel>(StringComparer.Ordinal), [], null, new Dictionary<string, string>(StringComparer.Ordinal), 0);

    /// <summary>Loaded models by <c>name/version</c>.</summary>
    public IReadOnlyDictionary<string, OnnxAllocatorModel> Loaded { get; }

    /// <summary>Models refused by the last load, with reasons.</summary>
    public IReadOnlyList<ModelRefusal> Refused { get; }

    /// <summary>The default model's key, or null when nothing is loaded.</summary>
    public string? DefaultKey { get; }

    /// <summary>Portfolio (or strategy) id → active model key, for portfolios that do not use the default.</summary>
    public IReadOnlyDictionary<string, string> Active { get; }

    /// <summary>Increases with every change; handy in logs and tests.</summary>
    public long Generation { get; }

    /// <summary>The default model, or null.</summary>
    public OnnxAllocatorModel? Default => DefaultKey is null ? null : Loaded.GetValueOrDefault(DefaultKey);

    /// <summary>
    /// The model for a portfolio: <paramref name="requested"/> (<c>name/version</c>) when given, else the portfolio's
    /// active model, else the default. Null when the requested model is not loaded or nothing is.
    /// </summary>
    public OnnxAllocatorModel? Resolve(string? portfolioId, string? requested)
    {
        if (requested is not null)
        {
            return Loaded.GetValueOrDefault(requested);
        }

        if (portfolioId is not null && Active.TryGetValue(portfolioId, out var key) && Loaded.TryGetValue(key, out var model))
        {
            return model;
        }

        return Default;
    }
}
