using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Predictive.Operator.Storage;

/// <summary>
/// The operator's tables in the SQLite database that also holds Quartz's (the single-node, embedded default). WAL mode
/// lets the scheduler and the stores write without blocking readers such as <c>predictive operator runs</c>.
/// </summary>
public sealed class SqliteOperatorDatabase : OperatorDatabase
{
    private static readonly string[] Steps =
    [
        """
        CREATE TABLE IF NOT EXISTS operator_runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            job TEXT NOT NULL,
            trigger_name TEXT NOT NULL,
            node TEXT NOT NULL,
            fire_instance_id TEXT NOT NULL,
            recovering INTEGER NOT NULL,
            scheduled_ms INTEGER NULL,
            started_ms INTEGER NOT NULL,
            ended_ms INTEGER NULL,
            outcome TEXT NOT NULL,
            message TEXT NULL,
            model_sha256 TEXT NULL,
            metrics_json TEXT NULL,
            error TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_operator_runs_started ON operator_runs (started_ms DESC);
        CREATE TABLE IF NOT EXISTS operator_trials (
            trial_id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            window_range TEXT NOT NULL,
            sharpe_per_bar REAL NOT NULL,
            observations INTEGER NOT NULL,
            skewness REAL NOT NULL,
            kurtosis REAL NOT NULL,
            recorded_ms INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS operator_challengers (
            model_key TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            directory TEXT NOT NULL,
            trained_through_ms INTEGER NOT NULL,
            status TEXT NOT NULL,
            note TEXT NOT NULL,
            evaluation_json TEXT NULL,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL);
        """,
        """
        CREATE TABLE keeper_leases (vault TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_ms INTEGER NOT NULL);
        CREATE TABLE keeper_decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            vault TEXT NOT NULL,
            vault_address TEXT NOT NULL,
            at_ms INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX ix_keeper_decisions_vault ON keeper_decisions (vault, id);
        """,
        """
        CREATE TABLE execution_journal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            journal TEXT NOT NULL,
            intent_id TEXT NOT NULL,
            step TEXT NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX ix_execution_journal ON execution_journal (journal, id);
        CREATE UNIQUE INDEX ux_execution_journal_intent ON execution_journal (journal, intent_id) WHERE step = 'Intent';
        """,
        """
        CREATE TABLE keeper_state (
            scope TEXT NOT NULL,
            name TEXT NOT NULL,
            content TEXT NOT NULL,
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY (scope, name));
        """,
    ];

    /// <summary>Opens the database named by <paramref name="connectionString"/> (creating its folder) and migrates it.</summary>
    public SqliteOperatorDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConnectionString = connectionString;
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        Migrate(connection);
    }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <inheritdoc />
    public override string Provider => "sqlite";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Migrations => Steps;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public override DbConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    /// <inheritdoc />
    public override bool IsUniqueViolation(DbException exception) => exception is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT

    /// <inheritdoc />
    protected override void Lock(DbConnection connection, DbTransaction transaction)
    {
        // Nothing to take: Microsoft.Data.Sqlite begins transactions IMMEDIATE, so this one already holds the database's
        // single write lock.
    }
}
