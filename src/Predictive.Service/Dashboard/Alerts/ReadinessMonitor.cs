using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Predictive.Onnx.Registry;
using Predictive.Service.Dashboard.Jobs;
using Predictive.Service.Dashboard.Vaults;
using Predictive.Service.Telemetry;

namespace Predictive.Service.Dashboard.Alerts;

/// <summary>
/// Runs the readiness checks (the ones behind <c>/health/ready</c>) in the background and on demand, keeps the last
/// report for the <c>predictive.ready</c> gauge, and evaluates the alert conditions of docs/alerts/predictive.rules.yml
/// for the dashboard. Prometheus fires an alert after its <c>for</c> delay; the dashboard shows the condition as it holds now.
/// </summary>
internal sealed class ReadinessMonitor : BackgroundService
{
    private readonly HealthCheckService _health;
    private readonly ModelRegistry _registry;
    private readonly TimeProvider _time;
    private readonly DashboardOptions _options;
    private readonly JobRunsSource _jobs;
    private readonly VaultsSource _vaults;
    private readonly KeeperAlerts _keeper;
    private HealthReport? _last;

    public ReadinessMonitor(HealthCheckService health, ModelRegistry registry, TimeProvider time, IOptions<DashboardOptions> options, IMeterFactory meters, JobRunsSource jobs, VaultsSource vaults, KeeperAlerts keeper)
    {
        _jobs = jobs;
        _vaults = vaults;
        _keeper = keeper;
        _health = health;
        _registry = registry;
        _time = time;
        _options = options.Value;
        var meter = meters.Create(ServiceMetrics.MeterName);
        meter.CreateObservableGauge("predictive.ready", Ready, description: "1 when every readiness check is healthy at the last evaluation, else 0.");
        meter.CreateObservableGauge("predictive.readiness.check", Checks, description: "1 for each readiness check that is healthy at the last evaluation, else 0 (label check).");
        meter.CreateObservableGauge("predictive.operator.triggers.overdue", Overdue, description: "Triggers of the operator's Quartz schedule overdue past the misfire threshold or in ERROR at the last read of its database (none when no readable database is configured).");
    }

    /// <summary>The last readiness report, or null before the first evaluation.</summary>
    public HealthReport? Last => Volatile.Read(ref _last);

    /// <summary>Runs the readiness checks and reads the operator's database and the keeper stores now, and keeps them for the gauges.</summary>
    public async Task<(HealthReport Report, JobsResponse Jobs, VaultsResponse Vaults)> RefreshAsync(CancellationToken cancellationToken)
    {
        var report = await _health.CheckHealthAsync(c => c.Tags.Contains("ready"), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _last, report);
        var jobs = await _jobs.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (report, jobs, await _vaults.ReadAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Evaluates every alert condition now.</summary>
    public async Task<AlertsResponse> EvaluateAsync(CancellationToken cancellationToken)
    {
        var (report, jobs, vaults) = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        var firing = new List<Alert>();
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                var why = entry.Description ?? entry.Exception?.Message ?? "no description";
                firing.Add(new Alert(AlertNames.ReadinessDegraded, "critical", $"Readiness check '{name}' is {entry.Status}: {why}"));
                if (name == Hosting.GovernanceReadyCheck.Name)
                {
                    firing.Add(new Alert(AlertNames.GovernanceUnreachable, "critical", $"The on-chain model registry cannot be read ({why}); the last verified set keeps serving and no new model loads."));
                }
            }
        }

        var refused = _registry.Current.Refused;
        if (refused.Count > 0)
        {
            firing.Add(new Alert(AlertNames.ModelsRefused, "warning", string.Create(CultureInfo.InvariantCulture, $"{refused.Count} model(s) refused by the last load: {string.Join(", ", refused.Select(r => r.Key))}")));
        }

        foreach (var trigger in jobs.Misfired)
        {
            var summary = trigger.State == "ERROR"
                ? $"Trigger '{trigger.Trigger}' of job '{trigger.Job}' is in Quartz's ERROR state and will not fire."
                : string.Create(CultureInfo.InvariantCulture, $"Trigger '{trigger.Trigger}' of job '{trigger.Job}' was due at {trigger.NextFire:u} and has not fired ({(jobs.EvaluatedAt - trigger.NextFire!.Value).TotalSeconds:F0} s late; is an operator node running?).");
            firing.Add(new Alert(AlertNames.JobMisfired, "critical", summary));
        }

        // The latest run of each job, among the runs the Jobs page shows.
        foreach (var last in jobs.Runs.GroupBy(r => r.Job, StringComparer.Ordinal).Select(g => g.First()).OrderBy(r => r.Job, StringComparer.Ordinal))
        {
            if (last.Outcome is "Failed" or "Interrupted")
            {
                firing.Add(new Alert(AlertNames.JobFailed, "critical", string.Create(CultureInfo.InvariantCulture, $"The last run of job '{last.Job}' (run {last.Id} on {last.Node}) is {last.Outcome}: {last.Error ?? last.Message ?? "no error recorded"}")));
            }
        }

        firing.AddRange(_keeper.Evaluate(vaults));
        return new AlertsResponse(_time.GetUtcNow(), [.. firing.OrderBy(a => a.Severity == "critical" ? 0 : 1)]);
    }

    private IEnumerable<Measurement<int>> Ready()
    {
        if (Last is { } report)
        {
            yield return new(report.Status == HealthStatus.Healthy ? 1 : 0);
        }
    }

    private IEnumerable<Measurement<int>> Checks() =>
        Last?.Entries.Select(e => new Measurement<int>(e.Value.Status == HealthStatus.Healthy ? 1 : 0, new KeyValuePair<string, object?>("check", e.Key))) ?? [];

    private IEnumerable<Measurement<int>> Overdue()
    {
        if (_jobs.Last is { Configured: true, Error: null } jobs)
        {
            yield return new(jobs.Misfired.Count());
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReadinessInterval, _time);
        do
        {
            await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
