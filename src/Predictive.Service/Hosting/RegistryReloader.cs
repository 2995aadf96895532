using Predictive.Onnx.Registry;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Hosting;

/// <summary>Reloads the registry and logs every loaded, refused and unloaded model.</summary>
internal sealed class RegistryReloader(ModelRegistry registry, ILogger<RegistryReloader> logger)
{
    public RegistryChange Reload()
    {
        var change = registry.Reload();
        var snapshot = change.Snapshot;
        foreach (var key in change.Loaded)
        {
            var model = snapshot.Loaded[key];
            Log.ModelLoaded(logger, key, model.Sha256, model.FeatureCount, Path.Combine(registry.ModelsDirectory, model.Name, model.Version));
        }

        foreach (var refusal in change.Refused)
        {
            Log.ModelRefused(logger, refusal.Key, refusal.Stage, refusal.Reason);
        }

        foreach (var key in change.Retired)
        {
            Log.ModelRetired(logger, key);
        }

        Log.RegistryLoaded(logger, registry.ModelsDirectory, snapshot.Loaded.Count, snapshot.Refused.Count, snapshot.DefaultKey, snapshot.Generation);
        if (snapshot.Loaded.Count == 0)
        {
            Log.NoModels(logger, registry.ModelsDirectory);
        }

        return change;
    }
}

/// <summary>Loads the models before the server starts taking requests.</summary>
internal sealed class RegistryStartup(RegistryReloader reloader) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        reloader.Reload();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
