using System.Text.Json;
using Predictive.Keeper.Store;
using static Predictive.Operator.Storage.OperatorDatabase;

namespace Predictive.Operator.Storage;

/// <summary>
/// The keeper store (vault leases and the decision log) in the operator's database, so every node of a cluster on
/// PostgreSQL sees one lease per vault and one decision log. The SQL is the same on SQLite and PostgreSQL, as for the
/// operator's other stores; the tables come from the databases' migrations (<c>keeper_leases</c>, <c>keeper_decisions</c>).
/// </summary>
/// <remarks>
/// A lease is taken in one statement: an upsert that overwrites the row only when the caller already holds it or it has
/// expired, returning the row it wrote. On PostgreSQL the conflicting row is locked for the statement, so two nodes
/// asking at once never both get it; when nothing is returned the holder is read back and named.
/// </remarks>
public sealed class SqlKeeperStore(OperatorDatabase database) : IKeeperStore, IKeeperLeaseReader
{
    private const string Take = """
        INSERT INTO keeper_leases (vault, owner, expires_ms) VALUES (@p0, @p1, @p2)
        ON CONFLICT (vault) DO UPDATE SET owner = excluded.owner, expires_ms = excluded.expires_ms
        WHERE keeper_leases.owner = excluded.owner OR keeper_leases.expires_ms <= @p3
        RETURNING owner;
        """;

    /// <inheritdoc />
    public async Task<LeaseResult> TryAcquireLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var until = Until(vault, owner, duration, now);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);

        // The holder may release between the refused upsert and the read; then the upsert is tried again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using (var take = Command(connection, Take, vault, owner, Ms(until), Ms(now)))
            {
                if (await take.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string)
                {
                    return new LeaseResult(true, new VaultLease(vault, owner, until));
                }
            }

            if (await ReadLeaseAsync(connection, vault, cancellationToken).ConfigureAwait(false) is { } holder)
            {
                return new LeaseResult(false, holder);
            }
        }

        throw new InvalidOperationException($"vault {vault}: the lease changed hands three times while {owner} asked for it; try again.");
    }

    /// <summary>
    /// Takes the lease of <paramref name="vault"/> over from <paramref name="holder"/>, the lease owner of operator node
    /// <paramref name="node"/>, when the Quartz cluster sharing this database has declared that node dead (its row is
    /// gone from <c>qrtz_scheduler_state</c>, which Quartz deletes in the same transaction as it schedules the dead
    /// node's recoveries), whatever the lease's expiry. One statement: the lease changes hands only if
    /// <paramref name="holder"/> still holds it and the node is still absent. Returns whether <paramref name="owner"/> now holds it.
    /// </summary>
    /// <remarks>
    /// Safe because every write of a pass's journal and state is fenced by the lease (<see cref="LeaseFence"/>): a node
    /// declared dead that is in fact only stalled writes nothing once the lease has moved, so it cannot record, and thus
    /// cannot send, a new transaction; what it signed before is in the journal, and the new holder re-sends those bytes.
    /// A live node checks in before Quartz hands it any job, so a node holding a lease has a row until it is declared dead.
    /// </remarks>
    public async Task<bool> TryTakeOverFromDeadNodeAsync(string vault, string holder, string node, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "UPDATE keeper_leases SET owner = @p2, expires_ms = @p3 WHERE vault = @p0 AND owner = @p1 AND NOT EXISTS (SELECT 1 FROM qrtz_scheduler_state WHERE instance_name = @p4);",
            vault, holder, owner, Ms(now + duration), node);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<LeaseRenewalResult> TryRenewLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var until = Until(vault, owner, duration, now);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var extend = Command(
            connection, "UPDATE keeper_leases SET expires_ms = @p2 WHERE vault = @p0 AND owner = @p1 AND expires_ms > @p3;", vault, owner, Ms(until), Ms(now)))
        {
            if (await extend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return new LeaseRenewalResult(true, new VaultLease(vault, owner, until));
            }
        }

        return new LeaseRenewalResult(false, await ReadLeaseAsync(connection, vault, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Checks a lease request's arguments; the expiry it asks for.</summary>
    private static DateTimeOffset Until(string vault, string owner, TimeSpan duration, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return now + duration;
    }

    private static async Task<VaultLease?> ReadLeaseAsync(System.Data.Common.DbConnection connection, string vault, CancellationToken cancellationToken)
    {
        await using var read = Command(connection, "SELECT owner, expires_ms FROM keeper_leases WHERE vault = @p0;", vault);
        await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? new VaultLease(vault, reader.GetString(0), Time(reader.GetInt64(1))) : null;
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string vault, string owner, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "DELETE FROM keeper_leases WHERE vault = @p0 AND owner = @p1;", vault, owner);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendDecisionAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(
            connection,
            "INSERT INTO keeper_decisions (vault, vault_address, at_ms, outcome, reason, record) VALUES (@p0, @p1, @p2, @p3, @p4, @p5);",
            record.Vault, record.VaultAddress.ToLowerInvariant(), Ms(record.Time), record.Outcome, record.Reason, JsonSerializer.Serialize(record));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VaultLease>> ReadLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT vault, owner, expires_ms FROM keeper_leases ORDER BY vault;");
        var leases = new List<VaultLease>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new VaultLease(reader.GetString(0), reader.GetString(1), Time(reader.GetInt64(2))));
        }

        return leases;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DecisionRecord>> ReadDecisionsAsync(string? vault, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = vault is null
            ? Command(connection, "SELECT record FROM keeper_decisions ORDER BY id DESC LIMIT @p0;", limit)
            : Command(connection, "SELECT record FROM keeper_decisions WHERE vault = @p1 OR vault_address = lower(@p1) ORDER BY id DESC LIMIT @p0;", limit, vault);
        var records = new List<DecisionRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(JsonSerializer.Deserialize<DecisionRecord>(reader.GetString(0))
                ?? throw new InvalidDataException($"the {database.Provider} keeper store holds an empty decision record."));
        }

        records.Reverse();
        return records;
    }
}
