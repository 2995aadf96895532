using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Predictive.Keeper.Store;

/// <summary>
/// The keeper store in one SQLite file (WAL, busy timeout), shared by every keeper process on the host: a lease row per
/// vault taken under <c>BEGIN IMMEDIATE</c> (so two processes never both see it free), and the decision log as one JSON
/// document per pass with its vault and time as columns for queries.
/// </summary>
public sealed class SqliteKeeperStore : IKeeperStore, IKeeperLeaseReader
{
    private static readonly JsonSerializerOptions Json = new();
    private readonly string _connectionString;

    private SqliteKeeperStore(string connectionString) => _connectionString = connectionString;

    /// <summary>The database file.</summary>
    public string? Path { get; private init; }

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static async Task<SqliteKeeperStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var cs = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = 30 }.ToString();
        var store = new SqliteKeeperStore(cs) { Path = path };
        await using var c = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS keeper_leases (vault TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS keeper_decisions (
                id INTEGER PRIMARY KEY AUTOINCREMENT, vault TEXT NOT NULL, vault_address TEXT NOT NULL, at INTEGER NOT NULL,
                outcome TEXT NOT NULL, reason TEXT NOT NULL, record TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS keeper_decisions_vault ON keeper_decisions (vault, id);
            """, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <inheritdoc />
    public async Task<LeaseResult> TryAcquireLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, null, "BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
        try
        {
            await using var read = c.CreateCommand();
            read.CommandText = "SELECT owner, expires_at FROM keeper_leases WHERE vault = $v";
            read.Parameters.AddWithValue("$v", vault);
            await using (var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var holder = r.GetString(0);
                    var expires = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1));
                    if (holder != owner && expires > now)
                    {
                        await ExecuteAsync(c, null, "ROLLBACK", cancellationToken).ConfigureAwait(false);
                        return new LeaseResult(false, new VaultLease(vault, holder, expires));
                    }
                }
            }

            var until = now + duration;
            await using var write = c.CreateCommand();
            write.CommandText = "INSERT INTO keeper_leases (vault, owner, expires_at) VALUES ($v, $o, $e) ON CONFLICT (vault) DO UPDATE SET owner = $o, expires_at = $e";
            write.Parameters.AddWithValue("$v", vault);
            write.Parameters.AddWithValue("$o", owner);
            write.Parameters.AddWithValue("$e", until.ToUnixTimeMilliseconds());
            await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(c, null, "COMMIT", cancellationToken).ConfigureAwait(false);
            return new LeaseResult(true, new VaultLease(vault, owner, until));
        }
        catch
        {
            await ExecuteAsync(c, null, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<LeaseRenewalResult> TryRenewLeaseAsync(string vault, string owner, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        var until = now + duration;
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var extend = c.CreateCommand())
        {
            extend.CommandText = "UPDATE keeper_leases SET expires_at = $e WHERE vault = $v AND owner = $o AND expires_at > $now";
            extend.Parameters.AddWithValue("$v", vault);
            extend.Parameters.AddWithValue("$o", owner);
            extend.Parameters.AddWithValue("$e", until.ToUnixTimeMilliseconds());
            extend.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (await extend.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return new LeaseRenewalResult(true, new VaultLease(vault, owner, until));
            }
        }

        await using var read = c.CreateCommand();
        read.CommandText = "SELECT owner, expires_at FROM keeper_leases WHERE vault = $v";
        read.Parameters.AddWithValue("$v", vault);
        await using var r = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return new LeaseRenewalResult(
            false, await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? new VaultLease(vault, r.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1))) : null);
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string vault, string owner, CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "DELETE FROM keeper_leases WHERE vault = $v AND owner = $o";
        cmd.Parameters.AddWithValue("$v", vault);
        cmd.Parameters.AddWithValue("$o", owner);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendDecisionAsync(DecisionRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO keeper_decisions (vault, vault_address, at, outcome, reason, record) VALUES ($v, $a, $t, $o, $r, $j)";
        cmd.Parameters.AddWithValue("$v", record.Vault);
        cmd.Parameters.AddWithValue("$a", record.VaultAddress.ToLowerInvariant());
        cmd.Parameters.AddWithValue("$t", record.Time.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$o", record.Outcome);
        cmd.Parameters.AddWithValue("$r", record.Reason);
        cmd.Parameters.AddWithValue("$j", JsonSerializer.Serialize(record, Json));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DecisionRecord>> ReadDecisionsAsync(string? vault, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = vault is null
            ? "SELECT record FROM keeper_decisions ORDER BY id DESC LIMIT $n"
            : "SELECT record FROM keeper_decisions WHERE vault = $v OR vault_address = lower($v) ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        if (vault is not null)
        {
            cmd.Parameters.AddWithValue("$v", vault);
        }

        var records = new List<DecisionRecord>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(JsonSerializer.Deserialize<DecisionRecord>(r.GetString(0), Json)
                ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"keeper store '{Path}': an empty decision record.")));
        }

        records.Reverse();
        return records;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<VaultLease>> ReadLeasesAsync(CancellationToken cancellationToken = default)
    {
        await using var c = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT vault, owner, expires_at FROM keeper_leases ORDER BY vault";
        var leases = new List<VaultLease>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            leases.Add(new VaultLease(r.GetString(0), r.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2))));
        }

        return leases;
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(c, null, "PRAGMA busy_timeout = 30000", cancellationToken).ConfigureAwait(false);
        return c;
    }

    private static async Task ExecuteAsync(SqliteConnection c, SqliteTransaction? t, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = t;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
