using System.Data.Common;
using Predictive.Chain.Transactions;
using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>
/// An execution journal in the operator's database (table <c>execution_journal</c>), so every node of a cluster on
/// PostgreSQL resumes a keeper's executions from the same records; the SQL is the same on SQLite.
/// </summary>
/// <remarks>
/// <para>Each record is one committed insert before <see cref="Append"/> returns, as the file store flushes before it
/// returns. The database refuses, with <see cref="JournalConflictException"/>:</para>
/// <list type="bullet">
/// <item>a second intent record for one id (a unique index over journal and intent id for intent records): a node whose
/// view is stale stops at an intent another node already recorded, before it signs or sends anything;</item>
/// <item>with a <see cref="LeaseFence"/>, any record from a writer that no longer holds the vault's unexpired lease
/// (the insert and the lease check are one statement): a node declared dead whose lease was taken over cannot record a
/// new signed transaction, and the transaction manager sends only what it has recorded as signed. What it signed before
/// is in the journal, and the node that took over re-sends those same bytes (same nonce, same hash), never new ones.</item>
/// </list>
/// <para>So an intent id is never sent as two different transactions, whichever node runs it.</para>
/// </remarks>
public sealed class SqlJournalStore : IJournalStore
{
    private readonly OperatorDatabase _database;
    private readonly string _journal;
    private readonly LeaseFence? _fence;
    private readonly TimeProvider _time;

    /// <summary>The journal <paramref name="journal"/> (one per vault and signer) in <paramref name="database"/>.</summary>
    /// <param name="database">The operator's database.</param>
    /// <param name="journal">The journal's name.</param>
    /// <param name="fence">The lease every append must hold; null for none (a single node).</param>
    /// <param name="timeProvider">The clock the lease's expiry is compared with.</param>
    public SqlJournalStore(OperatorDatabase database, string journal, LeaseFence? fence = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(journal);
        _database = database;
        _journal = journal;
        _fence = fence;
        _time = timeProvider ?? TimeProvider.System;
        Name = $"{database.Provider} execution_journal '{journal}'";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Load()
    {
        using var connection = _database.Open();
        using var command = Command(connection, "SELECT record FROM execution_journal WHERE journal = @p0 ORDER BY id;", _journal);
        using var reader = command.ExecuteReader();
        var records = new List<string>();
        while (reader.Read())
        {
            records.Add(reader.GetString(0));
        }

        return records;
    }

    /// <inheritdoc />
    public void Append(string intentId, ExecutionStep kind, string record)
    {
        using var connection = _database.Open();
        using var command = LeaseFence.Command(
            _fence, _time, connection, $"INSERT INTO execution_journal (journal, intent_id, step, record) SELECT @p0, @p1, @p2, @p3 WHERE {LeaseFence.Condition};", _journal, intentId, kind.ToString(), record);
        int inserted;
        try
        {
            inserted = command.ExecuteNonQuery();
        }
        catch (DbException e) when (_database.IsUniqueViolation(e))
        {
            throw new JournalConflictException($"{Name}: intent '{intentId}' is already recorded (by another node, or by this one before it lost its place); nothing was signed or sent for it here.", e);
        }

        if (inserted == 0)
        {
            throw new JournalConflictException($"{Name}: {_fence!.Owner} no longer holds the lease of {_fence.Vault} (it expired or another keeper took it over); the {kind} record of intent '{intentId}' was not written, and nothing is sent on it.");
        }
    }
}
