using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Predictive.Operator.Storage;

/// <summary>
/// The operator's own tables in the SQLite database that also holds Quartz's: run history, challengers and the trial
/// ledger. The schema is created when missing (idempotent), and WAL mode lets the scheduler and the stores write
/// without blocking readers such as <c>predictive operator runs</c>.
/// </summary>
public sealed class SqliteOperatorDatabase
{
    private const string Schema = """
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
        """;

    /// <summary>Opens the database named by <paramref name="connectionString"/> and creates the operator's tables if missing.</summary>
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
        using var wal = connection.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode=WAL;";
        wal.ExecuteNonQuery();
        using var create = connection.CreateCommand();
        create.CommandText = Schema;
        create.ExecuteNonQuery();
    }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>An open connection.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>A command on <paramref name="connection"/> with positional parameters <c>$p0, $p1, …</c>.</summary>
    public static SqliteCommand Command(SqliteConnection connection, string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The SQL is the stores' own constant text; values go in parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        for (var k = 0; k < parameters.Length; k++)
        {
            command.Parameters.AddWithValue($"$p{k}", parameters[k] ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Unix milliseconds, the stores' time format.</summary>
    public static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>A time read back.</summary>
    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>A nullable string column.</summary>
    public static string? Text(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>A nullable time column.</summary>
    public static DateTimeOffset? OptionalTime(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : Time(reader.GetInt64(ordinal));
    }
}
