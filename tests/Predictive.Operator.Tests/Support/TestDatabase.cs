using Npgsql;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Tests.Support;

/// <summary>An operator database on either provider for store tests: SQLite in a folder, or a fresh database on the throwaway PostgreSQL.</summary>
internal static class TestDatabase
{
    public static async Task<OperatorDatabase> OpenAsync(string provider, TempFolder folder) => provider == "postgres"
        ? new PostgresOperatorDatabase(await PostgresServer.CreateDatabaseAsync())
        : new SqliteOperatorDatabase($"Data Source={folder.Combine("operator.db")}");

    /// <summary>Gives <paramref name="owner"/> the lease of <paramref name="vault"/> for two minutes (it must be free).</summary>
    public static async Task HoldLeaseAsync(OperatorDatabase database, string vault, string owner) =>
        Assert.IsTrue((await new SqlKeeperStore(database).TryAcquireLeaseAsync(vault, owner, TimeSpan.FromMinutes(2), TimeProvider.System.GetUtcNow())).Granted, $"{owner} takes the lease of {vault}");

    /// <summary>Ends <paramref name="from"/>'s lease of <paramref name="vault"/> (as its expiry or a takeover would) and gives it to <paramref name="to"/>.</summary>
    public static async Task HandOverLeaseAsync(OperatorDatabase database, string vault, string from, string to)
    {
        await new SqlKeeperStore(database).ReleaseLeaseAsync(vault, from);
        await HoldLeaseAsync(database, vault, to);
    }

    /// <summary>Disposes <paramref name="database"/> and drops pooled connections, so the folder can be deleted.</summary>
    public static void Close(OperatorDatabase database)
    {
        (database as IDisposable)?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}
