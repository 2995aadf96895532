using System.Globalization;
using System.Text.Json;
using Predictive.Chain.Transactions;
using Predictive.Core.Synthetic;
using Predictive.Keeper.Tests.Support;

namespace Predictive.Keeper.Tests;

[TestClass]
public sealed class KeeperPassTests
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
    public async Task PassAsync_ServiceTargets_TradesToThemAndRecordsTheModelAndItsSha256()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig();
        using var keeper = await KeeperHarness.CreateAsync(world);

        var record = await keeper.PassAsync();

        var bundled = JsonDocument.Parse(File.ReadAllText(Path.Combine(TargetsService.ModelsDirectory, "default", "1", "model.json"))).RootElement;
        Assert.AreEqual("default/1", record.Model);
        Assert.AreEqual(bundled.GetProperty("sha256").GetString(), record.ModelSha256);
        Assert.AreEqual("trade", record.Outcome, record.Explanation);
        Assert.IsNotNull(record.Targets);
        Assert.AreEqual(1.0, record.Targets.Values.Sum(), 1e-6, "targets (cash under the quote token) sum to 1");
        foreach (var (symbol, target) in record.Targets)
        {
            Assert.AreEqual(target, record.WeightsAfter![symbol], 0.01, $"{symbol} ends on the service's target (full policy)");
        }

        var confirmed = KeeperWorld.Journal(keeper.Settings).Where(e => e.Step == ExecutionStep.Confirmed).Select(e => e.MinedHash).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.IsNotEmpty(record.Swaps);
        foreach (var swap in record.Swaps)
        {
            Assert.Contains(swap.TxHash, confirmed, $"swap {swap.IntentId} is a confirmed journal entry");
            Assert.Contains($":{record.Slot}:", swap.IntentId, "intent ids carry the decision slot");
        }

        var logged = await keeper.Store.ReadDecisionsAsync("demo", 10);
        Assert.HasCount(1, logged);
        Assert.AreEqual(record.ModelSha256, logged[0].ModelSha256);
        Assert.HasCount(record.Swaps.Count, logged[0].Swaps);
    }

    [TestMethod]
    public async Task PassAsync_CostAwarePolicy_DecidesWithTheRiskModelWarmedUpFromTheMarketDataAndTheOraclesPrices()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig(vault: new Dictionary<string, object?> { ["policy"] = "cost-aware" });
        using var keeper = await KeeperHarness.CreateAsync(world);

        var record = await keeper.PassAsync();

        Assert.IsTrue(record.Outcome is "trade" or "no-trade", $"{record.Outcome}: {record.Explanation}");
        Assert.Contains("cost", record.Explanation, StringComparison.OrdinalIgnoreCase);
        Assert.IsTrue(record.Guards.Any(g => g.Guard == "price-deviation" || g.Guard == "liquidity"), "the composition's guards ran");
        foreach (var asset in world.Manifest.Assets)
        {
            Assert.AreEqual((double)asset.Price!.Value, (double)record.OraclePrices![asset.Symbol], (double)asset.Price.Value * 1e-6, $"{asset.Symbol}'s reference price is its feed's answer");
        }
    }

    [TestMethod]
    public async Task PassAsync_BaseFeeAboveCeiling_RefusesWithTheReasonAndTheNextPassTrades()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig(new Dictionary<string, object?> { ["maxBaseFeeGwei"] = 50 });
        using var keeper = await KeeperHarness.CreateAsync(world);
        await world.SetBaseFeeAsync(120m);

        var refused = await keeper.PassAsync();

        Assert.AreEqual("refused", refused.Outcome);
        Assert.AreEqual("gas-ceiling", refused.Reason);
        Assert.AreEqual(120.0, refused.BaseFeeGwei!.Value, 1e-9);
        var gate = refused.Guards.Single(g => g.Guard == "gas-ceiling");
        Assert.IsTrue(gate.Fired);
        Assert.AreEqual(50.0, gate.Limit);
        Assert.IsEmpty(refused.Swaps);
        Assert.IsEmpty(KeeperWorld.Journal(keeper.Settings), "nothing was journaled, nothing sent");

        await world.SetBaseFeeAsync(1m);
        var next = await keeper.PassAsync();

        Assert.AreEqual("trade", next.Outcome, next.Explanation);
        Assert.IsFalse(next.Guards.Single(g => g.Guard == "gas-ceiling").Fired);
    }

    [TestMethod]
    public async Task PassAsync_DryRun_RecordsTheDecisionAndSendsNothing()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        world.WriteConfig();
        using var keeper = await KeeperHarness.CreateAsync(world);
        var nonceBefore = await world.Client.GetTransactionCountAsync(Chain.Crypto.EthAddress.Parse(world.Manifest.Keeper));
        var blockBefore = await world.Client.GetBlockNumberAsync();

        var shadow = await keeper.PassAsync(dryRun: true);

        Assert.IsTrue(shadow.DryRun);
        Assert.AreEqual("trade", shadow.Outcome, "the decision it would have made");
        Assert.IsNotEmpty(shadow.Swaps);
        Assert.IsTrue(shadow.Swaps.All(s => s.TxHash is null), "no transaction hash: nothing sent");
        Assert.AreEqual(nonceBefore, await world.Client.GetTransactionCountAsync(Chain.Crypto.EthAddress.Parse(world.Manifest.Keeper)));
        Assert.AreEqual(blockBefore, await world.Client.GetBlockNumberAsync(), "no block mined");
        Assert.IsEmpty(KeeperWorld.Journal(keeper.Settings));
        Assert.IsTrue((await keeper.Store.ReadDecisionsAsync(null, 5)).Single().DryRun);
    }

    [TestMethod]
    public async Task PassAsync_MarketDataWithoutVolume_RefusesSayingTheModelNeedsVolume()
    {
        await using var world = await KeeperWorld.StartAsync(s_url!);
        var file = Path.Combine(world.Directory, "closes.csv");
        WriteClosesOnly(file);
        world.WriteConfig(vault: new Dictionary<string, object?> { ["marketData"] = new Dictionary<string, object?> { ["source"] = file } });
        using var keeper = await KeeperHarness.CreateAsync(world);

        var record = await keeper.PassAsync();

        Assert.AreEqual("refused", record.Outcome);
        Assert.AreEqual("no-volume", record.Reason);
        Assert.Contains("has no volume", record.Explanation);
        Assert.Contains(file, record.Explanation);
        Assert.IsEmpty(KeeperWorld.Journal(keeper.Settings));
    }

    private static void WriteClosesOnly(string path)
    {
        var panel = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 42 });
        using var w = new StreamWriter(path);
        w.WriteLine("timestamp,symbol,close");
        var times = panel.Timestamps.ToArray();
        for (var a = 0; a < panel.AssetCount; a++)
        {
            var close = panel.Close(a).ToArray();
            for (var t = 0; t < times.Length; t++)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{times[t]:yyyy-MM-dd'T'HH:mm:ss'Z'},{panel.Assets[a]},{close[t]:R}"));
            }
        }
    }
}
