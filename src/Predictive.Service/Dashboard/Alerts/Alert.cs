namespace Predictive.Service.Dashboard.Alerts;

/// <summary>The answer of <c>GET /v1/alerts</c>: the alerts whose condition holds now.</summary>
/// <param name="EvaluatedAt">When the conditions were evaluated.</param>
/// <param name="Firing">The alerts firing, most severe first.</param>
public sealed record AlertsResponse(DateTimeOffset EvaluatedAt, IReadOnlyList<Alert> Firing);

/// <summary>One firing alert, named as in docs/alerts/predictive.rules.yml.</summary>
/// <param name="Name">The alert rule's name.</param>
/// <param name="Severity"><c>critical</c> or <c>warning</c>.</param>
/// <param name="Summary">What is wrong, with the values that make it so.</param>
public sealed record Alert(string Name, string Severity, string Summary);

/// <summary>The alert names, shared by the in-process evaluation and the rules file.</summary>
public static class AlertNames
{
    /// <summary>A readiness check is not healthy (<c>predictive_ready == 0</c>).</summary>
    public const string ReadinessDegraded = "PredictiveReadinessDegraded";

    /// <summary>The last load refused at least one model (<c>predictive_models_refused &gt; 0</c>).</summary>
    public const string ModelsRefused = "PredictiveModelsRefused";

    /// <summary>Governed mode: the node holding the model registry cannot be read (<c>predictive_readiness_check{check="governance"} == 0</c>).</summary>
    public const string GovernanceUnreachable = "PredictiveGovernanceUnreachable";

    /// <summary>A trigger of the operator's schedule is overdue past the misfire threshold (<c>predictive_operator_triggers_overdue &gt; 0</c>).</summary>
    public const string JobMisfired = "PredictiveJobMisfired";

    /// <summary>The last run of an operator job failed or was interrupted (<c>operator_job_runs_total{outcome="Failed"}</c> increased).</summary>
    public const string JobFailed = "PredictiveJobFailed";

    /// <summary>A vault's keeper refused to trade N passes in a row for one reason (<c>predictive_keeper_refusals_consecutive &gt;= 3</c>).</summary>
    public const string VaultRefusing = "PredictiveVaultRefusing";

    /// <summary>The latest pass that read a vault's price feeds found one stale (<c>predictive_keeper_oracle_stale == 1</c>).</summary>
    public const string OracleStale = "PredictiveOracleStale";

    /// <summary>A vault is paused (<c>predictive_keeper_vault_paused == 1</c>).</summary>
    public const string VaultPaused = "PredictiveVaultPaused";

    /// <summary>A keeper lease is held past its expiry (<c>predictive_keeper_lease_overdue_seconds &gt; 0</c>).</summary>
    public const string LeaseExpired = "PredictiveKeeperLeaseExpired";
}
