using Npgsql;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Tests.Support;

/// <summary>An operator database on either provider for store tests: SQLite in a folder, or a fresh database on the throwaway PostgreSQL.</summary>
internal static class TestDatabase
{
    public static async Task<OperatorDatabase> OpenAsync(string provider, TempFolder folder) => provider == "postgres"
        ? new PostgresOperatorDatabase(await PostgresServer.CreateDatabaseAsync())
        : new SqliteOperatorDatabase($"Data Source={folder.Combine("operator.db")}");

    /// <summary>Disposes <paramref name="database"/> and drops pooled connections, so the folder can be deleted.</summary>
    public static void Close(OperatorDatabase database)
    {
        (database as IDisposable)?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}
