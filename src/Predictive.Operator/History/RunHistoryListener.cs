using System.Text.Json;
using Microsoft.Extensions.Logging;
using Predictive.Operator.Storage;
using Predictive.Operator.Telemetry;
using Quartz;

namespace Predictive.Operator.History;

/// <summary>
/// Records every job run in the run history (job, trigger, node, scheduled/started/ended, outcome, model SHA-256,
/// metrics, error) and in the metrics. A listener rather than code in each job, so no job can forget.
/// </summary>
public sealed partial class RunHistoryListener(IRunHistory history, OperatorMetrics metrics, TimeProvider time, ILogger<RunHistoryListener> logger) : IJobListener
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _runs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Name => "predictive-run-history";

    /// <inheritdoc />
    public async ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = time.GetUtcNow();
        var scheduled = context.ScheduledFireTimeUtc;
        var job = context.JobDetail.Key.Name;
        if (context.Recovering)
        {
            await history.MarkRecoveredAsync(job, context.Scheduler.SchedulerInstanceId, started, cancellationToken).ConfigureAwait(false);
        }

        var id = await history.StartAsync(
            new RunStart(job, context.Trigger.Key.Name, context.Scheduler.SchedulerInstanceId, context.FireInstanceId, context.Recovering, scheduled, started),
            cancellationToken).ConfigureAwait(false);
        _runs[context.FireInstanceId] = id;
        var latency = scheduled is { } s ? started - s : (TimeSpan?)null;
        metrics.RunStarted(job, latency);
        LogStarted(logger, job, context.Trigger.Key.Name, context.Recovering, latency?.TotalMilliseconds ?? double.NaN);
    }

    /// <inheritdoc />
    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_runs.TryRemove(context.FireInstanceId, out var id))
        {
            return;
        }

        var error = jobException?.InnerException ?? jobException;
        var outcome = error switch
        {
            null => RunOutcome.Succeeded,
            OperationCanceledException => RunOutcome.Cancelled,
            _ => RunOutcome.Failed,
        };
        var report = context.Result as JobReport;
        var ended = time.GetUtcNow();

        // The run's end is written even when the host is stopping: it is short, and an unrecorded end reads as a crash.
        await history.FinishAsync(
            id,
            new RunEnd(ended, outcome, report?.Message, report?.ModelSha256, report?.Metrics is { } m ? JsonSerializer.Serialize(m) : null, error?.Message),
            CancellationToken.None).ConfigureAwait(false);
        metrics.RunFinished(context.JobDetail.Key.Name, outcome.ToString(), context.JobRunTime);
        LogFinished(logger, context.JobDetail.Key.Name, outcome, context.JobRunTime.TotalSeconds, report?.Message ?? error?.Message ?? "");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} started by {Trigger} (recovering: {Recovering}), {LatencyMs:F0} ms after its scheduled time")]
    private static partial void LogStarted(ILogger logger, string job, string trigger, bool recovering, double latencyMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} {Outcome} in {Seconds:F1} s: {Message}")]
    private static partial void LogFinished(ILogger logger, string job, RunOutcome outcome, double seconds, string message);
}
