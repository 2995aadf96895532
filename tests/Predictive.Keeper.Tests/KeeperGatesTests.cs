using System.Globalization;
using System.Text.Json;
using Predictive.Cli;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;
using Predictive.Keeper.Tests.Support;

namespace Predictive.Keeper.Tests;

/// <summary>
/// The keeper's own gates on anvil: the gas gate's net-benefit arm for every policy, one oracle verdict per record,
/// passes on new blocks, and <c>predictive rebalance</c> under the same vault lease as the keeper.
/// </summary>
[TestClass]
public sealed class KeeperGatesTests
{
    private static TargetsService? s_service;
    private static Uri? s_url;

    [ClassInitialize]
    public static void StartService(TestContext _)
    {
        s_service = new TargetsService();
        s_url = s_service.Start();
    }

    [ClassCleanup]
    public static void StopService() => s_service?.Dispose();

    [TestMethod]
    [DataRow("full")]
    [DataRow("band:0.01")]
    public async Task PassAsync_GasMakesTheNetBenefitNegative_RefusesWithTheReasonAndTradesOnceGasIsCheap(string policy)
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        // The ceiling is far above the fees used here: only the net-benefit arm can refuse. (The local chain's synthetic
        // prices make its ETH cheap, so gas outweighs this move's benefit only at a very high base fee.)
        world.WriteConfig(new Dictionary<string, object?> { ["maxBaseFeeGwei"] = 1_000_000, ["maxFeePerGasGwei"] = 1_000_000 }, new Dictionary<string, object?> { ["policy"] = policy });
        using var keeper = await KeeperHarness.CreateAsync(world);
        await world.SetBaseFeeAsync(300_000m);

        var refused = await keeper.PassAsync();

        var gate = refused.Guards.Single(g => g.Guard == "gas-net-benefit");
        Assert.AreEqual("refused", refused.Outcome, $"{refused.Explanation} | {gate.Detail}");
        Assert.AreEqual("gas-net-benefit", refused.Reason);
        Assert.IsFalse(refused.Guards.Single(g => g.Guard == "gas-ceiling").Fired, "the base fee is within the ceiling");
        Assert.IsTrue(gate.Fired);
        Assert.IsLessThan(0.0, gate.Value!.Value, "the net benefit after gas is negative");
        Assert.Contains("gas makes the trade's net benefit negative", gate.Detail);
        Assert.IsEmpty(refused.Swaps);
        Assert.IsEmpty(KeeperWorld.Journal(keeper.Settings), "nothing was journaled, nothing sent");

        // Same vault, same targets, only the gas price differs: the gas was what made it negative.
        await world.SetBaseFeeAsync(1m);
        var next = await keeper.PassAsync();

        Assert.AreEqual("trade", next.Outcome, next.Explanation);
        var cheap = next.Guards.Single(g => g.Guard == "gas-net-benefit");
        Assert.IsFalse(cheap.Fired, cheap.Detail);
        Assert.IsGreaterThanOrEqualTo(0.0, cheap.Value!.Value);
    }

    [TestMethod]
    public async Task PassAsync_StaleFeeds_RecordsOneOracleVerdictTheCompositionsGuard()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig();
        using var keeper = await KeeperHarness.CreateAsync(world);
        await world.Client.RequestAsync("evm_increaseTime", [7_200]);
        await world.Client.RequestAsync("evm_mine", []);

        var record = await keeper.PassAsync();

        Assert.AreEqual("refused", record.Outcome, record.Explanation);
        Assert.AreEqual("oracle-stale", record.Reason);
        var oracle = record.Guards.Where(g => g.Guard.StartsWith("oracle", StringComparison.Ordinal)).ToList();
        Assert.HasCount(1, oracle, string.Join(", ", record.Guards.Select(g => g.Guard)));
        Assert.AreEqual("oracle", oracle[0].Guard, "the composition's oracle guard");
        Assert.IsTrue(oracle[0].Fired);
        foreach (var asset in world.Manifest.Assets)
        {
            Assert.Contains(asset.Symbol, oracle[0].Detail, "the one verdict names every stale feed");
        }

        Assert.IsEmpty(record.Swaps);
        Assert.IsNotNull(record.OraclePrices, "the holdings are still valued with the feeds' last answers");
    }

    [TestMethod]
    public async Task RunAsync_TriggerOnBlocks_PassesOnEveryNewBlocksNotTheInterval()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig(vault: new Dictionary<string, object?> { ["trigger"] = "blocks", ["blocks"] = 3, ["pollMilliseconds"] = 100, ["intervalSeconds"] = 86_400 });
        using var keeper = await KeeperHarness.CreateAsync(world);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var run = Task.Run(() => keeper.Runner.RunAsync(dryRun: true, maxRounds: 3, cts.Token));
        while (!run.IsCompleted)
        {
            await world.Client.RequestAsync("evm_mine", []);
            await Task.Delay(150, cts.Token);
        }

        Assert.AreEqual(3, await run);
        var records = await keeper.Store.ReadDecisionsAsync("demo", 10);
        Assert.HasCount(3, records, "three passes within one day-long interval: they ran on new blocks");
        for (var i = 0; i < records.Count; i++)
        {
            var block = records[i].Block!.Value;
            Assert.AreEqual(string.Create(CultureInfo.InvariantCulture, $"block{block - (block % 3)}"), records[i].Slot, "the slot is the pass's bucket of 3 blocks");
            if (i > 0)
            {
                Assert.IsGreaterThanOrEqualTo(records[i - 1].Block!.Value + 3, block, "each pass waited for 3 new blocks");
            }
        }
    }

    [TestMethod]
    public async Task Rebalance_VaultLeasedByAKeeper_ExitsNamingTheHolderOrWaitsForTheLease()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig();
        var settings = world.Settings();
        var vault = settings.Vaults[0];
        var store = await SqliteKeeperStore.OpenAsync(settings.StorePath);
        var key = KeeperRunner.LeaseKey(vault);
        Assert.IsTrue((await store.TryAcquireLeaseAsync(key, "keeper-a", TimeSpan.FromMinutes(5), TimeProvider.System.GetUtcNow())).Granted);
        var targets = Path.Combine(world.Directory, "targets.json");
        // Most of the vault in its first asset: far from where `chain up` funds it, so the pass trades.
        var others = world.Manifest.Assets.Skip(1).Select(a => a.Symbol).Append(world.Manifest.QuoteToken.Symbol).ToList();
        var weights = others.ToDictionary(s => s, _ => 0.2 / others.Count);
        weights[world.Manifest.Assets[0].Symbol] = 0.8;
        File.WriteAllText(targets, JsonSerializer.Serialize(new { weights }));
        string[] rebalance = ["rebalance", "--chain", world.ChainFile, "--targets", targets, "--policy", "full", "--store", settings.StorePath];

        var (exit, _, error) = await RunCliAsync(rebalance);

        Assert.AreEqual(4, exit, "exit code 4: the lease is held");
        Assert.Contains("driven by another keeper (keeper-a)", error);
        Assert.IsEmpty(KeeperWorld.Journal(settings), "nothing journaled or sent");
        Assert.IsEmpty(await store.ReadDecisionsAsync(null, 5));

        // The keeper's lease lapses in a few seconds: a rebalance that may wait takes it, passes, logs, and releases it.
        await store.ReleaseLeaseAsync(key, "keeper-a");
        Assert.IsTrue((await store.TryAcquireLeaseAsync(key, "keeper-a", TimeSpan.FromSeconds(4), TimeProvider.System.GetUtcNow())).Granted);
        var (waited, output, waitError) = await RunCliAsync([.. rebalance, "--lease-wait", "60"]);

        Assert.AreEqual(0, waited, waitError + output);
        var logged = await store.ReadDecisionsAsync(null, 5);
        Assert.HasCount(1, logged, "the pass is in the keeper's decision log");
        Assert.AreEqual("trade", logged[0].Outcome, logged[0].Explanation);
        Assert.IsTrue(KeeperWorld.Journal(settings).Any(), "the pass journaled in the keeper's vault folder");
        Assert.IsTrue((await store.TryAcquireLeaseAsync(key, "keeper-b", TimeSpan.FromMinutes(1), TimeProvider.System.GetUtcNow())).Granted, "the rebalance released the lease");
    }

    [TestMethod]
    [DataRow("Host=127.0.0.1;Port=1;Timeout=3")]
    [DataRow("Hots=nowhere")]
    public async Task KeeperRun_PostgresConnectionUnusable_FailsNamingThePostgresOptionBeforeAnyPass(string connection)
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);

        var (exit, stdout, stderr) = await RunCliAsync(["keeper", "run", "--config", world.WriteConfig(), "--postgres", connection, "--rounds", "1"]);

        Assert.AreNotEqual(0, exit);
        StringAssert.Contains(stderr, "--postgres: cannot open the operator's database");
        Assert.DoesNotContain("keeper-started", stdout, "no keeper ran");
    }

    private static async Task<(int Exit, string Out, string Err)> RunCliAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(args, stdout, stderr, TimeProvider.System);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
