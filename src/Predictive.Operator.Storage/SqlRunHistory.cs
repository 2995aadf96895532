using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>The run history in the operator's database (SQLite or PostgreSQL; the SQL is the same).</summary>
public class SqlRunHistory(OperatorDatabase database) : IRunHistory
{
    private const string Columns = "id, job, trigger_name, node, fire_instance_id, recovering, scheduled_ms, started_ms, ended_ms, outcome, message, model_sha256, metrics_json, error";

    /// <inheritdoc />
    public async Task<long> StartAsync(RunStart run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "INSERT INTO operator_runs (job, trigger_name, node, fire_instance_id, recovering, scheduled_ms, started_ms, outcome) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7) RETURNING id;",
            run.Job, run.Trigger, run.Node, run.FireInstanceId, run.Recovering ? 1 : 0, run.Scheduled is { } s ? Ms(s) : null, Ms(run.Started), nameof(RunOutcome.Running));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task FinishAsync(long id, RunEnd ending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ending);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "UPDATE operator_runs SET ended_ms = @p1, outcome = @p2, message = @p3, model_sha256 = @p4, metrics_json = @p5, error = @p6 WHERE id = @p0;",
            id, Ms(ending.Ended), ending.Outcome.ToString(), ending.Message, ending.ModelSha256, ending.MetricsJson, ending.Error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> MarkInterruptedAsync(string node, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "UPDATE operator_runs SET outcome = @p2, ended_ms = @p1, error = 'the node stopped (killed or crashed) while this run was in progress' WHERE node = @p0 AND outcome = @p3;",
            node, Ms(at), nameof(RunOutcome.Interrupted), nameof(RunOutcome.Running));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> MarkRecoveredAsync(string job, string recoveringNode, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "UPDATE operator_runs SET outcome = @p2, ended_ms = @p1, error = 'its node stopped (killed or crashed) mid-run; ' || @p4 || ' recovered the job' WHERE job = @p0 AND outcome = @p3;",
            job, Ms(at), nameof(RunOutcome.Interrupted), nameof(RunOutcome.Running), recoveringNode);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RunRecord>> ListAsync(int limit, string? job, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = job is null
            ? Command(connection, $"SELECT {Columns} FROM operator_runs ORDER BY id DESC LIMIT @p0;", limit)
            : Command(connection, $"SELECT {Columns} FROM operator_runs WHERE job = @p1 ORDER BY id DESC LIMIT @p0;", limit, job);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<RunRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            runs.Add(new RunRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetInt32(5) != 0,
                OptionalTime(reader, 6),
                Time(reader.GetInt64(7)),
                OptionalTime(reader, 8),
                Enum.Parse<RunOutcome>(reader.GetString(9)),
                Text(reader, 10),
                Text(reader, 11),
                Text(reader, 12),
                Text(reader, 13)));
        }

        return runs;
    }
}

/// <summary>The run history in a SQLite operator database (the single-node store; also what <c>predictive operator runs</c> reads).</summary>
public sealed class SqliteRunHistory(SqliteOperatorDatabase database) : SqlRunHistory(database);
