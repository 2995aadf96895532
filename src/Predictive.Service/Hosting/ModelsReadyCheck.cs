using Microsoft.Extensions.Diagnostics.HealthChecks;
using Predictive.Onnx.Registry;

namespace Predictive.Service.Hosting;

/// <summary>Ready when at least one valid model is loaded and a default is chosen.</summary>
/// In governed mode, degraded (still serving the last verified set) while the registry cannot be read.
internal sealed class ModelsReadyCheck(ModelRegistry registry, ChainModelApproval? approval = null) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = registry.Current;
        var result = snapshot.Default is { } model
            ? approval?.Degraded is { } reason
                ? HealthCheckResult.Degraded($"{snapshot.Loaded.Count} model(s) loaded; default {model.Key}; {reason}")
                : HealthCheckResult.Healthy($"{snapshot.Loaded.Count} model(s) loaded; default {model.Key}")
            : HealthCheckResult.Unhealthy($"no valid model in {registry.ModelsDirectory} ({snapshot.Refused.Count} refused){(approval?.Degraded is { } why ? "; " + why : "")}");
        return Task.FromResult(result);
    }
}
