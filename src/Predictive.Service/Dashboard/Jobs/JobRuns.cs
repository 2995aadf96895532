using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Predictive.Service.Dashboard.Jobs;

/// <summary>The answer of <c>GET /v1/jobs</c>: the operator's schedule, what runs now, and its latest runs, newest first.</summary>
/// <param name="Configured">Whether <c>Predictive:Dashboard:OperatorDatabase</c> is set.</param>
/// <param name="Database">The database's full path, or null.</param>
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
/// Reads the operator's run history and Quartz's schedule from its SQLite database, read-only (the operator owns and
/// writes it; issue 17, docs/operator.md "Run history"). The service never creates or changes the file.
/// </summary>
internal sealed class JobRunsSource(IOptions<DashboardOptions> options, IWebHostEnvironment environment, TimeProvider time)
{
    private JobsResponse? _last;

    /// <summary>The last answer read, or null before the first read.</summary>
    public JobsResponse? Last => Volatile.Read(ref _last);

    /// <summary>Whether a database is configured.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.OperatorDatabase);

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

        var path = Path.GetFullPath(options.Value.OperatorDatabase!, environment.ContentRootPath);
        if (!File.Exists(path))
        {
            return new JobsResponse(true, path, $"Predictive:Dashboard:OperatorDatabase names '{path}', which does not exist (the operator creates it on its first start).", now, [], [], [], []);
        }

        try
        {
            var connection = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            await using var db = new SqliteConnection(connection);
            await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT id, job, trigger_name, node, recovering, scheduled_ms, started_ms, ended_ms, outcome, message, model_sha256, error FROM operator_runs ORDER BY id DESC LIMIT $limit;";
            command.Parameters.AddWithValue("$limit", Math.Max(1, options.Value.JobRuns));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var runs = new List<JobRun>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(new JobRun(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4) != 0,
                    Time(reader, 5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)), Time(reader, 7), reader.GetString(8),
                    Text(reader, 9), Text(reader, 10), Text(reader, 11)));
            }

            await reader.CloseAsync().ConfigureAwait(false);
            var quartz = await JobSchedule.ExistsAsync(db, cancellationToken).ConfigureAwait(false);
            var scheduled = quartz ? await JobSchedule.TriggersAsync(db, now, options.Value.MisfireThreshold, cancellationToken).ConfigureAwait(false) : [];
            var running = quartz ? await JobSchedule.RunningAsync(db, cancellationToken).ConfigureAwait(false) : [];
            return new JobsResponse(true, path, null, now, scheduled, running, JobSchedule.Nodes(runs), runs);
        }
        catch (SqliteException e)
        {
            return new JobsResponse(true, path, $"{path}: {e.Message}", now, [], [], [], []);
        }
    }

    private static DateTimeOffset? Time(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(i));

    private static string? Text(SqliteDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
