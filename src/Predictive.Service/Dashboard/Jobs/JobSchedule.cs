using System.Data.Common;
using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Service.Dashboard.Jobs;

/// <summary>One trigger of the operator's schedule, as Quartz's own store (<c>QRTZ_TRIGGERS</c>) holds it.</summary>
/// <param name="Job">The job it fires.</param>
/// <param name="Trigger">The trigger's name.</param>
/// <param name="Group">The trigger's group (lifecycle, keeper).</param>
/// <param name="Type">CRON or SIMPLE (an interval).</param>
/// <param name="State">Quartz's trigger state: WAITING, ACQUIRED, EXECUTING, BLOCKED, PAUSED, ERROR or COMPLETE.</param>
/// <param name="NextFire">When it fires next, or null when it will not fire again.</param>
/// <param name="PreviousFire">When it last fired, or null.</param>
/// <param name="Overdue">Whether it should have fired more than the misfire threshold ago (or is in ERROR): it misfired.</param>
public sealed record ScheduledTrigger(string Job, string Trigger, string Group, string Type, string State, DateTimeOffset? NextFire, DateTimeOffset? PreviousFire, bool Overdue);

/// <summary>A job executing now, from Quartz's fired triggers.</summary>
/// <param name="Node">The node (Quartz instance id) running it.</param>
/// <param name="Job">The job.</param>
/// <param name="Trigger">The trigger that fired it.</param>
/// <param name="Fired">When it fired.</param>
public sealed record RunningJob(string Node, string Job, string Trigger, DateTimeOffset Fired);

/// <summary>What one node ran, among the runs shown.</summary>
/// <param name="Node">The node.</param>
/// <param name="Runs">Its runs.</param>
/// <param name="Succeeded">How many succeeded.</param>
/// <param name="Failed">How many failed or were interrupted.</param>
/// <param name="LastStarted">When its latest run started.</param>
/// <param name="Jobs">The jobs it ran, by name.</param>
public sealed record NodeSummary(string Node, int Runs, int Succeeded, int Failed, DateTimeOffset LastStarted, IReadOnlyList<string> Jobs);

/// <summary>
/// Reads the operator's schedule from Quartz's tables in the operator's database (the operator keeps Quartz's store and
/// its own tables in one database, docs/operator.md), SQLite or PostgreSQL. Quartz.NET's ADO store writes times as UTC
/// ticks and its tables are its documented schema (<c>tables_sqlite.sql</c>, <c>tables_postgres.sql</c>, table prefix
/// <c>QRTZ_</c>); the service only reads them.
/// </summary>
internal static class JobSchedule
{
    private const string TriggersTable = "QRTZ_TRIGGERS";

    /// <summary>Whether Quartz has created its tables in this database (the operator has started on it).</summary>
    public static async Task<bool> ExistsAsync(DbConnection db, string provider, CancellationToken cancellationToken)
    {
        // Quartz's PostgreSQL schema names its tables in lower case; SQLite keeps the upper-case names.
        await using var command = provider == "postgres"
            ? Command(db, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = @p0;", TriggersTable.ToLowerInvariant())
            : Command(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @p0;", TriggersTable);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>Every trigger, soonest first (triggers that will not fire again last).</summary>
    public static async Task<IReadOnlyList<ScheduledTrigger>> TriggersAsync(DbConnection db, DateTimeOffset now, TimeSpan misfireThreshold, CancellationToken cancellationToken)
    {
        await using var command = Command(db, $"SELECT JOB_NAME, TRIGGER_NAME, TRIGGER_GROUP, TRIGGER_TYPE, TRIGGER_STATE, NEXT_FIRE_TIME, PREV_FIRE_TIME FROM {TriggersTable} ORDER BY JOB_NAME, TRIGGER_NAME;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var triggers = new List<ScheduledTrigger>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var state = reader.GetString(4);
            var next = Ticks(reader, 5);
            var overdue = state == "ERROR" || (next is { } due && state is not ("PAUSED" or "PAUSED_BLOCKED" or "COMPLETE") && now - due > misfireThreshold);
            triggers.Add(new ScheduledTrigger(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), state, next, Ticks(reader, 6), overdue));
        }

        return [.. triggers.OrderBy(t => t.NextFire ?? DateTimeOffset.MaxValue).ThenBy(t => t.Trigger, StringComparer.Ordinal)];
    }

    /// <summary>The jobs executing now and the node running each.</summary>
    public static async Task<IReadOnlyList<RunningJob>> RunningAsync(DbConnection db, CancellationToken cancellationToken)
    {
        await using var command = Command(db, "SELECT INSTANCE_NAME, JOB_NAME, TRIGGER_NAME, FIRED_TIME FROM QRTZ_FIRED_TRIGGERS WHERE STATE = 'EXECUTING' ORDER BY FIRED_TIME;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var running = new List<RunningJob>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            running.Add(new RunningJob(reader.GetString(0), reader.GetString(1), reader.GetString(2), Ticks(reader, 3)!.Value));
        }

        return running;
    }

    /// <summary>Which node ran what, among <paramref name="runs"/>.</summary>
    public static IReadOnlyList<NodeSummary> Nodes(IEnumerable<JobRun> runs) =>
    [
        .. runs.GroupBy(r => r.Node, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new NodeSummary(
            g.Key, g.Count(), g.Count(r => r.Outcome == "Succeeded"), g.Count(r => r.Outcome is "Failed" or "Interrupted"), g.Max(r => r.Started),
            [.. g.Select(r => r.Job).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)])),
    ];

    private static DateTimeOffset? Ticks(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : new DateTimeOffset(reader.GetInt64(i), TimeSpan.Zero);
}
