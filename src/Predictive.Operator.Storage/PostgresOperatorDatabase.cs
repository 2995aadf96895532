using System.Data.Common;
using Npgsql;

namespace Predictive.Operator.Storage;

/// <summary>
/// The operator's tables in the PostgreSQL database a cluster shares with Quartz's tables: every node reads and writes
/// the same run history, challengers and trial ledger. Connections come from one <see cref="NpgsqlDataSource"/> (pooled).
/// </summary>
public sealed class PostgresOperatorDatabase : OperatorDatabase, IDisposable
{
    // An arbitrary, fixed advisory-lock key: "Predictive operator schema".
    private const long MigrationLock = 0x5072_6564_4f70_5331;

    private static readonly string[] Steps =
    [
        """
        CREATE TABLE IF NOT EXISTS operator_runs (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            job TEXT NOT NULL,
            trigger_name TEXT NOT NULL,
            node TEXT NOT NULL,
            fire_instance_id TEXT NOT NULL,
            recovering INTEGER NOT NULL,
            scheduled_ms BIGINT NULL,
            started_ms BIGINT NOT NULL,
            ended_ms BIGINT NULL,
            outcome TEXT NOT NULL,
            message TEXT NULL,
            model_sha256 TEXT NULL,
            metrics_json TEXT NULL,
            error TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_operator_runs_started ON operator_runs (started_ms DESC);
        CREATE INDEX IF NOT EXISTS ix_operator_runs_job_outcome ON operator_runs (job, outcome);
        CREATE TABLE IF NOT EXISTS operator_trials (
            trial_id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            window_range TEXT NOT NULL,
            sharpe_per_bar DOUBLE PRECISION NOT NULL,
            observations INTEGER NOT NULL,
            skewness DOUBLE PRECISION NOT NULL,
            kurtosis DOUBLE PRECISION NOT NULL,
            recorded_ms BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS operator_challengers (
            model_key TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            directory TEXT NOT NULL,
            trained_through_ms BIGINT NOT NULL,
            status TEXT NOT NULL,
            note TEXT NOT NULL,
            evaluation_json TEXT NULL,
            created_ms BIGINT NOT NULL,
            updated_ms BIGINT NOT NULL);
        """,
        """
        CREATE TABLE keeper_leases (vault TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_ms BIGINT NOT NULL);
        CREATE TABLE keeper_decisions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            vault TEXT NOT NULL,
            vault_address TEXT NOT NULL,
            at_ms BIGINT NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX ix_keeper_decisions_vault ON keeper_decisions (vault, id);
        """,
        """
        CREATE TABLE execution_journal (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
            updated_ms BIGINT NOT NULL,
            PRIMARY KEY (scope, name));
        """,
    ];

    private readonly NpgsqlDataSource _source;

    /// <summary>Connects with <paramref name="connectionString"/> and migrates the operator's tables.</summary>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the connection.</exception>
    public PostgresOperatorDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _source = NpgsqlDataSource.Create(connectionString);
        try
        {
            using var connection = _source.OpenConnection();
            Migrate(connection);
        }
        catch
        {
            _source.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public override string Provider => "postgres";

    /// <inheritdoc />
    protected override IReadOnlyList<string> Migrations => Steps;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override DbConnection Open() => _source.OpenConnection();

    /// <inheritdoc />
    public override bool IsUniqueViolation(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <inheritdoc />
    protected override void Lock(DbConnection connection, DbTransaction transaction)
    {
        using var command = Command(connection, "SELECT pg_advisory_xact_lock(@p0);", MigrationLock);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();
}
