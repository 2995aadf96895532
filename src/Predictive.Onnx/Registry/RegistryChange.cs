namespace Predictive.Onnx.Registry;

/// <summary>What one <see cref="ModelRegistry.Reload"/> did, for logs.</summary>
/// <param name="Loaded">Keys newly loaded (or replaced by a new file).</param>
/// <param name="Kept">Keys already loaded and unchanged.</param>
/// <param name="Refused">Refusals; a refused key that was loaded before stays loaded.</param>
/// <param name="Retired">Keys unloaded (their sessions close once in-flight requests finish).</param>
/// <param name="Snapshot">The registry after the reload.</param>
public sealed record RegistryChange(
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Kept,
    IReadOnlyList<ModelRefusal> Refused,
    IReadOnlyList<string> Retired,
    RegistrySnapshot Snapshot);
