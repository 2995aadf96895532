using Predictive.Core.Rebalancing.Pipeline;
using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>
/// A keeper's live state (the pipeline state with its pending plan and snapshot history, the rebalance run in progress)
/// in the operator's database (table <c>keeper_state</c>, one row per document), so the node that recovers a keeper job
/// resumes from the state the dead node saved; the SQL is the same on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// Each write is one committed upsert, so a reader sees the old document or the new one. With a <see cref="LeaseFence"/>
/// a write from a node that no longer holds the vault's lease changes nothing and throws, as the journal does.
/// </remarks>
public sealed class SqlStateDocuments : IStateDocuments
{
    private readonly OperatorDatabase _database;
    private readonly string _scope;
    private readonly LeaseFence? _fence;
    private readonly TimeProvider _time;

    /// <summary>The documents of <paramref name="scope"/> (one per vault) in <paramref name="database"/>.</summary>
    /// <param name="database">The operator's database.</param>
    /// <param name="scope">Whose documents (the vault's state key).</param>
    /// <param name="fence">The lease every write must hold; null for none (a single node).</param>
    /// <param name="timeProvider">The clock for the lease check and the rows' times.</param>
    public SqlStateDocuments(OperatorDatabase database, string scope, LeaseFence? fence = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _database = database;
        _scope = scope;
        _fence = fence;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Describe(string key) => $"{_database.Provider} keeper_state '{_scope}/{key}'";

    /// <inheritdoc />
    public string? Read(string key)
    {
        using var connection = _database.Open();
        using var command = Command(connection, "SELECT content FROM keeper_state WHERE scope = @p0 AND name = @p1;", _scope, key);
        return command.ExecuteScalar() as string;
    }

    /// <inheritdoc />
    public void Write(string key, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        const string Upsert = " ON CONFLICT (scope, name) DO UPDATE SET content = excluded.content, updated_ms = excluded.updated_ms;";
        using var connection = _database.Open();
        using var command = LeaseFence.Command(
            _fence, _time, connection, $"INSERT INTO keeper_state (scope, name, content, updated_ms) SELECT @p0, @p1, @p2, @p3 WHERE {LeaseFence.Condition}" + Upsert, _scope, key, content, Ms(_time.GetUtcNow()));
        if (command.ExecuteNonQuery() == 0)
        {
            throw new InvalidOperationException(Refused(key, "written"));
        }
    }

    /// <inheritdoc />
    public void Delete(string key)
    {
        using var connection = _database.Open();
        using var command = LeaseFence.Command(_fence, _time, connection, $"DELETE FROM keeper_state WHERE scope = @p0 AND name = @p1 AND {LeaseFence.Condition};", _scope, key);
        if (command.ExecuteNonQuery() > 0 || _fence is null)
        {
            return;
        }

        // Nothing deleted: either there was no such document (fine), or the fence refused the delete.
        using var held = LeaseFence.Command(_fence, _time, connection, $"SELECT 1 WHERE {LeaseFence.Condition};");
        if (held.ExecuteScalar() is null)
        {
            throw new InvalidOperationException(Refused(key, "deleted"));
        }
    }

    private string Refused(string key, string verb) => $"{Describe(key)}: {_fence!.Owner} no longer holds the lease of {_fence.Vault}; the state was not {verb}.";
}
