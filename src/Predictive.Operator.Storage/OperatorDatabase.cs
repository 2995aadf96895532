using System.Data.Common;

namespace Predictive.Operator.Storage;

/// <summary>
/// The database of the operator's own tables (run history, challengers, trial ledger), beside Quartz's: SQLite for one
/// node (<see cref="SqliteOperatorDatabase"/>) or PostgreSQL for a cluster (<see cref="PostgresOperatorDatabase"/>).
/// The stores (<see cref="SqlRunHistory"/>, <see cref="SqlTrialLedger"/>, <see cref="SqlChallengerStore"/>) write the
/// SQL both accept; what differs — connections, column types, the migration lock — lives in the two subclasses.
/// </summary>
/// <remarks>
/// Migrations: each dialect lists its schema steps in order; <c>operator_schema</c> records the steps applied. A node
/// applies the missing ones in one transaction under a lock (PostgreSQL: an advisory lock; SQLite: its write lock), so
/// nodes starting together migrate once. A database made before migrations existed holds the first step's tables
/// already; that step is written with <c>IF NOT EXISTS</c> and is recorded as applied.
/// </remarks>
public abstract class OperatorDatabase
{
    /// <summary>The provider name, as <c>Store:Provider</c> spells it.</summary>
    public abstract string Provider { get; }

    /// <summary>The schema steps, oldest first; step <c>i</c> is version <c>i + 1</c>.</summary>
    protected abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>An open connection.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>An open connection, synchronously (for stores whose callers are synchronous, as the execution journal's).</summary>
    public abstract DbConnection Open();

    /// <summary>Whether <paramref name="exception"/> is this database refusing a row that breaks a unique index.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>A command on <paramref name="connection"/> with positional parameters <c>@p0, @p1, …</c>.</summary>
    public static DbCommand Command(DbConnection connection, string sql, params object?[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // The SQL is the stores' own constant text; values go in parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        for (var k = 0; k < parameters.Length; k++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"p{k}";
            parameter.Value = parameters[k] ?? DBNull.Value;
            command.Parameters.Add(parameter);
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

    /// <summary>Applies the missing schema steps; returns how many it applied.</summary>
    protected int Migrate(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var transaction = connection.BeginTransaction();
        Lock(connection, transaction);
        Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS operator_schema (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL);");
        using var read = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM operator_schema;");
        read.Transaction = transaction;
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        var applied = 0;
        for (var version = current + 1; version <= Migrations.Count; version++)
        {
            Execute(connection, transaction, Migrations[version - 1]);
            using var record = Command(connection, "INSERT INTO operator_schema (version, applied_ms) VALUES (@p0, @p1);", version, Ms(TimeProvider.System.GetUtcNow()));
            record.Transaction = transaction;
            record.ExecuteNonQuery();
            applied++;
        }

        transaction.Commit();
        return applied;
    }

    /// <summary>Takes the lock that serialises migrations across nodes, inside <paramref name="transaction"/>.</summary>
    protected abstract void Lock(DbConnection connection, DbTransaction transaction);

    /// <summary>Runs a statement inside a transaction.</summary>
    protected static void Execute(DbConnection connection, DbTransaction transaction, string sql)
    {
        using var command = Command(connection, sql);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
