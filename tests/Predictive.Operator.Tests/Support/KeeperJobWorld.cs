using System.Globalization;
using Npgsql;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Keeper.Store;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// A vault on anvil whose passes wait between two swaps for blocks only the test mines (2 confirmations), a PostgreSQL
/// database, and (when started) an in-process operator node <c>node-a</c> on it whose keeper job passes at start.
/// </summary>
internal sealed class KeeperJobWorld : IAsyncDisposable
{
    private readonly TempFolder _folder;
    private readonly string _connection;
    private OperatorHarness? _operator;

    private KeeperJobWorld(TempFolder folder, KeeperChain chain, string connection)
    {
        _folder = folder;
        Chain = chain;
        _connection = connection;
        Database = new PostgresOperatorDatabase(connection);
    }

    public KeeperChain Chain { get; }

    public PostgresOperatorDatabase Database { get; }

    public string ConnectionString => _connection;

    public OperatorHarness Operator => _operator ?? throw new InvalidOperationException("the operator node has not been started");

    /// <summary>Chain, service, database and an active model; with <paramref name="startOperator"/>, the operator node too.</summary>
    public static async Task<KeeperJobWorld> StartAsync(int leaseSeconds, bool startOperator = true)
    {
        var folder = new TempFolder();
        var chain = await KeeperChain.StartAsync(folder, confirmations: 2, leaseSeconds: leaseSeconds);
        KeeperChain.ActivateBundledModel(folder.Combine("models"));
        var world = new KeeperJobWorld(folder, chain, await PostgresServer.CreateDatabaseAsync());
        if (startOperator)
        {
            await world.StartOperatorAsync();
        }

        return world;
    }

    public async Task StartOperatorAsync() => _operator = await OperatorHarness.StartAsync(Chain.OperatorSettings("node-a", _connection));

    public Task WaitForFirstSignedSwapAsync() =>
        OperatorHarness.WaitUntilAsync(async () => await KeeperChain.SignedSwapsAsync(Database) > 0, TimeSpan.FromSeconds(180), "a pass to sign its first swap");

    public IReadOnlyList<JournalEntry> Journal() => ExecutionJournal.Open(new SqlJournalStore(Database, Chain.LeaseKey)).Entries;

    /// <summary>The vault's lease row, or null when nobody holds it.</summary>
    public async Task<VaultLease?> LeaseAsync() => (await new SqlKeeperStore(Database).ReadLeasesAsync()).SingleOrDefault(l => l.Vault == Chain.LeaseKey);

    /// <summary>The count and newest write time of the vault's state rows.</summary>
    public async Task<string> StateVersionAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = OperatorDatabase.Command(connection, "SELECT COUNT(*) || ':' || COALESCE(MAX(updated_ms), 0) FROM keeper_state WHERE scope = @p0;", Chain.LeaseKey);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
    }

    /// <summary>The operator node's ended run of the keeper job (waits for it).</summary>
    public async Task<RunRecord> EndedRunAsync()
    {
        await Operator.WaitAsync(() => Operator.FinishedAsync("keeper-demo"), TimeSpan.FromSeconds(180), "the keeper job's run to end");
        return (await Operator.Runs.ListAsync(10, "keeper-demo", CancellationToken.None)).Single(r => r.Outcome != RunOutcome.Running);
    }

    /// <summary>Mines blocks until <paramref name="done"/> completes; returns its result.</summary>
    public async Task<T> MineUntilAsync<T>(Func<Task<T>> done)
    {
        using var rpc = new EvmRpcClient(new RpcClientOptions { Endpoint = new Uri(Chain.Manifest.RpcUrl) });
        using var stop = new CancellationTokenSource();
        var mining = KeeperChain.MineAsync(rpc, stop.Token);
        try
        {
            return await done();
        }
        finally
        {
            await stop.CancelAsync();
            await mining;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_operator is not null)
        {
            await _operator.DisposeAsync();
        }

        await Chain.DisposeAsync();
        Database.Dispose();
        NpgsqlConnection.ClearAllPools();
        _folder.Dispose();
    }
}
