using Microsoft.Extensions.Diagnostics.HealthChecks;
using Predictive.Onnx.Registry;

namespace Predictive.Service.Hosting;

/// <summary>
/// Ready when at least one valid model is loaded and a default is chosen. In governed mode an unreadable registry is
/// the <see cref="GovernanceReadyCheck"/>'s to report; with no model the reason is added here too.
/// </summary>
internal sealed class ModelsReadyCheck(ModelRegistry registry, ChainModelApproval? approval = null) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = registry.Current;
        var result = snapshot.Default is { } model
            ? HealthCheckResult.Healthy($"{snapshot.Loaded.Count} model(s) loaded; default {model.Key}")
            : HealthCheckResult.Unhealthy($"no valid model in {registry.ModelsDirectory} ({snapshot.Refused.Count} refused){(approval?.Degraded is { } why ? "; " + why : "")}");
        return Task.FromResult(result);
    }
}
