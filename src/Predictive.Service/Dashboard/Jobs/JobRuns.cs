using System.Data.Common;
using Microsoft.Extensions.Options;
using Predictive.Operator.Storage;
using Predictive.Service.Dashboard.Stores;

namespace Predictive.Service.Dashboard.Jobs;

/// <summary>The answer of <c>GET /v1/jobs</c>: the operator's schedule, what runs now, and its latest runs, newest first.</summary>
/// <param name="Configured">Whether <c>Predictive:Dashboard:OperatorDatabase</c> is set.</param>
/// <param name="Database">The database: the SQLite file's full path, or the PostgreSQL server and database; null when none is configured.</param>
/// <param name="Error">Why the database could not be read, or null.</param>
/// <param name="EvaluatedAt">When the database was read (the time overdue triggers are judged against).</param>
/// <param name="Scheduled">Quartz's triggers, soonest first; empty before the operator first started on this database.</param>
/// <param name="Running">The jobs executing now, with the node running each.</param>
/// <param name="Nodes">Which node ran what, among <paramref name="Runs"/>.</param>
/// <param name="Runs">The runs.</param>
public sealed record JobsResponse(
    bool Configured, string? Database, string? Error, DateTimeOffset EvaluatedAt, IReadOnlyList<ScheduledTrigger> Scheduled, IReadOnlyList<RunningJob> Running, IReadOnlyList<NodeSummary> Nodes, IReadOnlyList<JobRun> Runs)
{
    /// <summary>The triggers that misfired: overdue past the threshold, or in Quartz's ERROR state.</summary>
    public IEnumerable<ScheduledTrigger> Misfired => Scheduled.Where(t => t.Overdue);
}

/// <summary>One run of an operator job, as the operator's run history (<c>operator_runs</c>) records it.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Job">The job (retrain, evaluate, promote, keeper-…).</param>
/// <param name="Trigger">The trigger that fired it.</param>
/// <param name="Node">The node that ran it.</param>
/// <param name="Recovering">Whether it was a recovery run.</param>
/// <param name="Scheduled">The scheduled fire time, if any.</param>
/// <param name="Started">When it started.</param>
/// <param name="Ended">When it ended, or null while running.</param>
/// <param name="Outcome">Running, Succeeded, Failed, Cancelled or Interrupted.</param>
/// <param name="Message">What happened.</param>
/// <param name="ModelSha256">The model it concerned.</param>
/// <param name="Error">The error, for a failed or interrupted run.</param>
public sealed record JobRun(long Id, string Job, string Trigger, string Node, bool Recovering, DateTimeOffset? Scheduled, DateTimeOffset Started, DateTimeOffset? Ended, string Outcome, string? Message, string? ModelSha256, string? Error);

/// <summary>
/// Reads the operator's run history through its own store (<see cref="IRunHistory"/>, SQLite for one node or PostgreSQL
/// for a cluster) and Quartz's schedule from the same database (issue 17, docs/operator.md "Run history"). The service
/// only reads: it never writes a run or a trigger.
/// </summary>
internal sealed class JobRunsSource(IOptions<DashboardOptions> options, DashboardStores stores, TimeProvider time)
{
    private JobsResponse? _last;

    /// <summary>The last answer read, or null before the first read.</summary>
    public JobsResponse? Last => Volatile.Read(ref _last);

    /// <summary>Whether a database is configured.</summary>
    public bool Configured => stores.OperatorConfigured;

    /// <summary>The schedule and the latest runs, or the reason they cannot be read; kept as <see cref="Last"/>.</summary>
    public async Task<JobsResponse> ReadAsync(CancellationToken cancellationToken)
    {
        var answer = await ReadOnceAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _last, answer);
        return answer;
    }

    private async Task<JobsResponse> ReadOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!Configured)
        {
            return new JobsResponse(false, null, null, now, [], [], [], []);
        }

        var name = stores.OperatorName;
        try
        {
            var database = await stores.OperatorAsync(cancellationToken).ConfigureAwait(false);
            var records = await new SqlRunHistory(database).ListAsync(Math.Max(1, options.Value.JobRuns), null, cancellationToken).ConfigureAwait(false);
            var runs = records.Select(r => new JobRun(r.Id, r.Job, r.Trigger, r.Node, r.Recovering, r.Scheduled, r.Started, r.Ended, r.Outcome.ToString(), r.Message, r.ModelSha256, r.Error)).ToList();
            await using var db = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            var quartz = await JobSchedule.ExistsAsync(db, database.Provider, cancellationToken).ConfigureAwait(false);
            var scheduled = quartz ? await JobSchedule.TriggersAsync(db, now, options.Value.MisfireThreshold, cancellationToken).ConfigureAwait(false) : [];
            var running = quartz ? await JobSchedule.RunningAsync(db, cancellationToken).ConfigureAwait(false) : [];
            return new JobsResponse(true, name, null, now, scheduled, running, JobSchedule.Nodes(runs), runs);
        }
        catch (StoreUnavailableException e)
        {
            return new JobsResponse(true, name, e.Message, now, [], [], [], []);
        }
        catch (DbException e)
        {
            return new JobsResponse(true, name, $"{name}: {e.Message}", now, [], [], [], []);
        }
    }
}
