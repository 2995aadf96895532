using Predictive.Chain.LocalChain;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;

namespace Predictive.Keeper.Tests.Support;

/// <summary>An in-process keeper (the same runner `keeper run` uses) over a world's keeper.json, its log captured.</summary>
internal sealed class KeeperHarness : IDisposable
{
    private readonly HttpClient _http;

    private KeeperHarness(KeeperSettings settings, SqliteKeeperStore store, HttpClient http, KeeperRunner runner, StringWriter log)
    {
        Settings = settings;
        Store = store;
        _http = http;
        Runner = runner;
        Log = log;
    }

    public KeeperSettings Settings { get; }

    public SqliteKeeperStore Store { get; }

    public KeeperRunner Runner { get; }

    public StringWriter Log { get; }

    public static async Task<KeeperHarness> CreateAsync(KeeperWorld world, string? owner = null)
    {
        var settings = world.Settings();
        var store = await SqliteKeeperStore.OpenAsync(settings.StorePath);
        var http = new HttpClient { BaseAddress = settings.ServiceUrl! };
        var log = new StringWriter();
        var runner = new KeeperRunner(settings, store, AnvilDevAccounts.Keeper, http, new JsonLineLog(log, TimeProvider.System), null, owner ?? "test-keeper");
        return new KeeperHarness(settings, store, http, runner, log);
    }

    public async Task<DecisionRecord> PassAsync(bool dryRun = false)
    {
        var record = await Runner.PassAsync(Runner.Passes[0], dryRun, CancellationToken.None);
        Assert.IsNotNull(record, "the lease was held");
        return record;
    }

    public void Dispose()
    {
        Runner.Dispose();
        _http.Dispose();
        Log.Dispose();
    }
}
