using Npgsql;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// An operator database on either provider for store tests: SQLite in a temporary folder, or a fresh database on the
/// throwaway PostgreSQL. Disposing closes it, drops pooled connections and deletes the folder.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly TempFolder _folder;

    private TestDatabase(TempFolder folder, OperatorDatabase database)
    {
        _folder = folder;
        Database = database;
    }

    public OperatorDatabase Database { get; }

    /// <summary>A database of <paramref name="provider"/> (<c>sqlite</c> or <c>postgres</c>), the operator's tables migrated.</summary>
    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        var folder = new TempFolder();
        try
        {
            return new TestDatabase(folder, provider == "postgres"
                ? new PostgresOperatorDatabase(await PostgresServer.CreateDatabaseAsync())
                : new SqliteOperatorDatabase($"Data Source={folder.Combine("operator.db")}"));
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Gives <paramref name="owner"/> the lease of <paramref name="vault"/> for two minutes (it must be free).</summary>
    public static async Task HoldLeaseAsync(OperatorDatabase database, string vault, string owner) =>
        Assert.IsTrue((await new SqlKeeperStore(database).TryAcquireLeaseAsync(vault, owner, TimeSpan.FromMinutes(2), TimeProvider.System.GetUtcNow())).Granted, $"{owner} takes the lease of {vault}");

    /// <summary>Ends <paramref name="from"/>'s lease of <paramref name="vault"/> (as its expiry or a takeover would) and gives it to <paramref name="to"/>.</summary>
    public static async Task HandOverLeaseAsync(OperatorDatabase database, string vault, string from, string to)
    {
        await new SqlKeeperStore(database).ReleaseLeaseAsync(vault, from);
        await HoldLeaseAsync(database, vault, to);
    }

    /// <summary>Makes <paramref name="vault"/>'s lease expire a second ago, its owner unchanged (a holder stalled past its lease).</summary>
    public static async Task ExpireLeaseAsync(OperatorDatabase database, string vault)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var expire = OperatorDatabase.Command(
            connection, "UPDATE keeper_leases SET expires_ms = @p1 WHERE vault = @p0;", vault, TimeProvider.System.GetUtcNow().AddSeconds(-1).ToUnixTimeMilliseconds());
        Assert.AreEqual(1, await expire.ExecuteNonQueryAsync(), $"the lease of {vault} exists");
    }

    public void Dispose()
    {
        (Database as IDisposable)?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        _folder.Dispose();
    }
}
