using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>Challengers in the operator's database (SQLite or PostgreSQL).</summary>
public sealed class SqlChallengerStore(OperatorDatabase database) : IChallengerStore
{
    private const string Columns = "model_key, sha256, directory, trained_through_ms, status, note, evaluation_json, created_ms, updated_ms";

    /// <inheritdoc />
    public async Task<ChallengerRecord> AddAsync(ChallengerRecord challenger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenger);
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = Command(
                connection,
                $"INSERT INTO operator_challengers ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8) ON CONFLICT (model_key) DO NOTHING;",
                challenger.Key, challenger.Sha256, challenger.Directory, Ms(challenger.TrainedThrough), challenger.Status.ToString(), challenger.Note, challenger.EvaluationJson, Ms(challenger.CreatedAt), Ms(challenger.UpdatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (await FindAsync(challenger.Key, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<ChallengerRecord?> NextAsync(ChallengerStatus status, CancellationToken cancellationToken) =>
        First(await QueryAsync($"SELECT {Columns} FROM operator_challengers WHERE status = @p0 ORDER BY created_ms, model_key LIMIT 1;", cancellationToken, status.ToString()).ConfigureAwait(false));

    /// <inheritdoc />
    public async Task<ChallengerRecord?> FindAsync(string key, CancellationToken cancellationToken) =>
        First(await QueryAsync($"SELECT {Columns} FROM operator_challengers WHERE model_key = @p0;", cancellationToken, key).ConfigureAwait(false));

    /// <inheritdoc />
    public Task<IReadOnlyList<ChallengerRecord>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM operator_challengers ORDER BY created_ms DESC, model_key;", cancellationToken);

    /// <inheritdoc />
    public async Task<bool> TransitionAsync(string key, ChallengerStatus from, ChallengerStatus target, string note, string? evaluationJson, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "UPDATE operator_challengers SET status = @p2, note = @p3, evaluation_json = COALESCE(@p4, evaluation_json), updated_ms = @p5 WHERE model_key = @p0 AND status = @p1;",
            key, from.ToString(), target.ToString(), note, evaluationJson, Ms(at));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static ChallengerRecord? First(IReadOnlyList<ChallengerRecord> rows) => rows.Count > 0 ? rows[0] : null;

    private async Task<IReadOnlyList<ChallengerRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<ChallengerRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ChallengerRecord(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                Time(reader.GetInt64(3)),
                Enum.Parse<ChallengerStatus>(reader.GetString(4)),
                reader.GetString(5),
                Text(reader, 6),
                Time(reader.GetInt64(7)),
                Time(reader.GetInt64(8))));
        }

        return list;
    }
}
