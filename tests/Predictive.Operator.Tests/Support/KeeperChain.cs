using System.Globalization;
using System.Text.Json;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Cli;
using Predictive.Keeper.Configuration;
using Predictive.Onnx.Registry;
using Predictive.Operator.Storage;
using Predictive.Tests.Shared;

namespace Predictive.Operator.Tests.Support;

/// <summary>
/// What a keeper job drives, for real: a local chain (<c>predictive chain up</c>: anvil, tokens, pools, feeds, a funded
/// vault), the targets service on Kestrel over the repository's models, and a keeper.json over both (the dev key, the
/// synthetic market data, the full policy) whose store folder is <c>keeper/</c> in the test's folder.
/// </summary>
internal sealed class KeeperChain : IAsyncDisposable
{
    public const string Vault = "demo";

    private readonly ServiceFactory _service;
    private readonly HttpClient _client;

    private KeeperChain(TempFolder folder, ServiceFactory service, HttpClient client, LocalChainManifest manifest, int confirmations, int leaseSeconds)
    {
        Folder = folder;
        _service = service;
        _client = client;
        Manifest = manifest;
        Config = folder.Combine("keeper.json");
        File.WriteAllText(Config, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["serviceUrl"] = client.BaseAddress!.ToString(), ["confirmations"] = confirmations, ["key"] = new Dictionary<string, object?> { ["dev"] = true }, ["store"] = folder.Combine("keeper", "keeper.db"), ["leaseSeconds"] = leaseSeconds,
            ["vaults"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["name"] = Vault, ["chain"] = ChainFile, ["chainId"] = manifest.ChainId, ["vault"] = manifest.Vault, ["policy"] = "full",
                    ["intervalSeconds"] = 3600, ["marketData"] = new Dictionary<string, object?> { ["source"] = "synthetic" },
                },
            },
        }));
        Settings = KeeperConfigLoader.Load(Config);
    }

    public TempFolder Folder { get; }

    public LocalChainManifest Manifest { get; }

    /// <summary>keeper.json's path.</summary>
    public string Config { get; }

    public KeeperSettings Settings { get; }

    public string ChainFile => Folder.Combine("chain", LocalChainManifest.FileName);

    /// <summary>The folder keeper.json's store lives in (the single-node journal and state go beside it).</summary>
    public string StoreFolder => Folder.Combine("keeper");

    /// <summary>The lease key of the vault (also the scope of its journal and state in the database).</summary>
    public string LeaseKey => Predictive.Keeper.Running.KeeperRunner.LeaseKey(Settings.Vaults[0]);

    /// <summary>Settings of an in-process operator node <paramref name="node"/> on PostgreSQL whose one keeper job drives this vault (first pass at start).</summary>
    public Dictionary<string, string?> OperatorSettings(string node, string connectionString)
    {
        var settings = OperatorHarness.QuickSettings(Folder);
        settings["Operator:NodeId"] = node;
        settings["Operator:Store:Provider"] = "postgres";
        settings["Operator:Store:ConnectionString"] = connectionString;
        settings["Operator:Keeper:Config"] = Config;
        settings["Operator:Keeper:Vaults:0:Name"] = Vault;
        settings["Operator:Keeper:Vaults:0:IntervalSeconds"] = "3600";
        return settings;
    }

    /// <summary>
    /// Starts the chain and the service; with <paramref name="confirmations"/> above 1 a pass waits for blocks the test mines
    /// after each swap; <paramref name="leaseSeconds"/> is keeper.json's lease length.
    /// </summary>
    public static async Task<KeeperChain> StartAsync(TempFolder folder, int confirmations = 1, int leaseSeconds = 120)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["chain", "up", "--port", "0", "--out", folder.Combine("chain")], stdout, stderr, TimeProvider.System);
        Assert.AreEqual(0, exit, stderr.ToString());
        var service = new ServiceFactory(RepositoryPaths.Combine("models"));
        return new KeeperChain(folder, service, service.Start(), LocalChainManifest.Load(folder.Combine("chain", LocalChainManifest.FileName)), confirmations, leaseSeconds);
    }

    /// <summary>Activates the service's bundled model in <paramref name="modelsDirectory"/>, so the keeper job has an active model to report.</summary>
    public static void ActivateBundledModel(string modelsDirectory)
    {
        var sha = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Combine("models", "default", "1", "model.json"))).RootElement.GetProperty("sha256").GetString()!;
        ActiveModelFile.Activate(modelsDirectory, new ActiveModelEntry("default/1", sha, DateTimeOffset.UnixEpoch, "test"));
    }

    /// <summary>Swap intents the keeper has recorded as signed in <paramref name="database"/>'s journal.</summary>
    public static async Task<int> SignedSwapsAsync(OperatorDatabase database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = OperatorDatabase.Command(connection, "SELECT COUNT(DISTINCT intent_id) FROM execution_journal WHERE step = 'Signed' AND intent_id LIKE 'swap:%';");
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Mines a block every 300 ms until <paramref name="stop"/>, so passes waiting for confirmations go on.</summary>
    public static async Task MineAsync(EvmRpcClient rpc, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await rpc.RequestAsync("evm_mine", [], stop);
                await Task.Delay(300, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        await CliApp.RunAsync(["chain", "down", "--out", Folder.Combine("chain")], stdout, stderr, TimeProvider.System);
        _client.Dispose();
        await _service.DisposeAsync();
    }
}
