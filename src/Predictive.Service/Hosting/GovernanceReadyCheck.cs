using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Predictive.Service.Hosting;

/// <summary>
/// Governed mode: healthy while the last poll of the on-chain registry succeeded; degraded (the last verified set keeps
/// serving, nothing new loads) while the node cannot be read, with the reason. Feeds <c>predictive_readiness_check{check="governance"}</c>.
/// </summary>
internal sealed class GovernanceReadyCheck(ChainModelApproval approval) : IHealthCheck
{
    /// <summary>The check's name in the readiness report and the metric's label.</summary>
    public const string Name = "governance";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(approval.Degraded is { } reason
            ? HealthCheckResult.Degraded(reason)
            : HealthCheckResult.Healthy($"model registry read at block {approval.Snapshot?.Block}"));
}
