using Microsoft.AspNetCore.Http.HttpResults;
using Predictive.Onnx.Registry;
using Predictive.Service.Hosting;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Api;

/// <summary><c>GET /v1/models</c>, and the admin endpoints that activate a model and reload the directory.</summary>
internal static class ModelsEndpoints
{
    public static Ok<ModelsResponse> List(ModelRegistry registry) => TypedResults.Ok(Describe(registry.Current));

    public static IResult Activate(string name, string version, string? portfolio, ModelRegistry registry, ServiceMetrics metrics, TimeProvider time, ILogger<ModelRegistry> logger)
    {
        var key = $"{name}/{version}";
        if (portfolio is not null && string.IsNullOrWhiteSpace(portfolio))
        {
            metrics.RecordError(ErrorKinds.Validation);
            return Problems.Invalid("portfolio", "Must be a portfolio id, or omitted to change the default.");
        }

        if (registry.Governed)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Activation is governed.", "Admin-key activation is off in governed mode; the on-chain registry's activate decides the default.");
        }

        RegistrySnapshot snapshot;
        try
        {
            snapshot = registry.Activate(key, portfolio);
        }
        catch (ModelNotLoadedException e)
        {
            metrics.RecordError(ErrorKinds.UnknownModel);
            return Problems.Status(StatusCodes.Status404NotFound, "Model not loaded.", e.Message);
        }

        var model = snapshot.Loaded[key];
        if (portfolio is null)
        {
            ActiveModelFile.Activate(registry.ModelsDirectory, new ActiveModelEntry(key, model.Sha256, time.GetUtcNow(), "admin-api"));
        }

        Log.ModelActivated(logger, key, portfolio is null ? "default" : $"portfolio {portfolio}", snapshot.Generation);
        return TypedResults.Ok(new ActivationResponse(new ModelInfo(model.Name, model.Version, model.Sha256), portfolio, snapshot.Generation));
    }

    public static Ok<ModelsResponse> Reload(RegistryReloader reloader) => TypedResults.Ok(Describe(reloader.Reload().Snapshot));

    public static ModelsResponse Describe(RegistrySnapshot snapshot)
    {
        var loaded = snapshot.Loaded.Values
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Version, StringComparer.Ordinal)
            .Select(m => new LoadedModel(
                m.Name,
                m.Version,
                m.Sha256,
                m.FeatureSpec.FeatureNames,
                m.FixedAssets,
                m.Key == snapshot.DefaultKey,
                [.. snapshot.Active.Where(p => p.Value == m.Key).Select(p => p.Key).Order(StringComparer.Ordinal)]))
            .ToList();
        var refused = snapshot.Refused.Select(r => new RefusedModel(r.Key, r.Stage, r.Reason, r.At)).ToList();
        return new ModelsResponse(snapshot.DefaultKey, loaded, refused, snapshot.Active, snapshot.Generation);
    }
}
