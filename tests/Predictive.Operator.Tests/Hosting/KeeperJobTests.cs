using System.Text.Json;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Running;
using Predictive.Keeper.Store;
using Predictive.Onnx.Registry;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Hosting;

[TestClass]
public sealed class KeeperJobTests
{
    [TestMethod]
    public async Task KeeperJob_NoActiveModel_RecordedPerVaultWithoutAPass()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        settings["Operator:Keeper:Config"] = WriteKeeperConfig(folder, "alpha", "beta");
        settings["Operator:Keeper:Vaults:0:Name"] = "alpha";
        settings["Operator:Keeper:Vaults:0:IntervalSeconds"] = "5";
        settings["Operator:Keeper:Vaults:1:Name"] = "beta";
        await using var op = await OperatorHarness.StartAsync(settings);
        await op.WaitAsync(async () => await op.FinishedAsync("keeper-alpha") && await op.FinishedAsync("keeper-beta"), TimeSpan.FromSeconds(60), "both vaults' keeper runs");

        foreach (var vault in new[] { "alpha", "beta" })
        {
            var run = (await op.Runs.ListAsync(10, $"keeper-{vault}", CancellationToken.None)).First(r => r.Outcome != RunOutcome.Running);
            Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
            Assert.AreEqual($"keeper-{vault}-interval", run.Trigger);
            StringAssert.Contains(run.Message, $"vault {vault}: no active model");
            Assert.IsNull(run.ModelSha256);
        }
    }

    [TestMethod]
    public async Task KeeperJob_StandaloneKeeperHoldsTheVaultLease_NoPassAndTheHolderNamed()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        var config = WriteKeeperConfig(folder, "alpha");
        settings["Operator:Keeper:Config"] = config;
        settings["Operator:Keeper:Vaults:0:Name"] = "alpha";
        ActiveModelFile.Activate(folder.Combine("models"), new ActiveModelEntry("allocator/1", new string('a', 64), DateTimeOffset.UnixEpoch, "test"));

        // A standalone `predictive keeper run` on the same keeper.json takes the vault's lease in the same store, under the same key.
        var keeper = KeeperConfigLoader.Load(config);
        var store = await SqliteKeeperStore.OpenAsync(keeper.StorePath);
        var taken = await store.TryAcquireLeaseAsync(KeeperRunner.LeaseKey(keeper.Vaults[0]), "keeper:standalone", TimeSpan.FromHours(1), TimeProvider.System.GetUtcNow());
        Assert.IsTrue(taken.Granted);

        await using var op = await OperatorHarness.StartAsync(settings);
        await op.WaitAsync(() => op.FinishedAsync("keeper-alpha"), TimeSpan.FromSeconds(60), "the keeper job's run");

        var run = (await op.Runs.ListAsync(10, "keeper-alpha", CancellationToken.None)).First(r => r.Outcome != RunOutcome.Running);
        Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
        StringAssert.Contains(run.Message, "vault alpha: no pass, driven by another keeper (keeper:standalone)");
        Assert.IsEmpty(await store.ReadDecisionsAsync("alpha", 10));
        var after = await store.TryAcquireLeaseAsync(KeeperRunner.LeaseKey(keeper.Vaults[0]), "keeper:standalone", TimeSpan.FromHours(1), TimeProvider.System.GetUtcNow());
        Assert.IsTrue(after.Granted, "the standalone keeper still holds its lease after the job");
    }

    [TestMethod]
    public async Task KeeperJob_LeaseLeftByThisNodesKilledProcess_TakenBackAndReleasedAfterThePass()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        var config = WriteKeeperConfig(folder, "alpha");
        settings["Operator:NodeId"] = "node-a";
        settings["Operator:Keeper:Config"] = config;
        settings["Operator:Keeper:Vaults:0:Name"] = "alpha";
        ActiveModelFile.Activate(folder.Combine("models"), new ActiveModelEntry("allocator/1", new string('a', 64), DateTimeOffset.UnixEpoch, "test"));
        var keeper = KeeperConfigLoader.Load(config);
        var store = await SqliteKeeperStore.OpenAsync(keeper.StorePath);
        Assert.IsTrue((await store.TryAcquireLeaseAsync(KeeperRunner.LeaseKey(keeper.Vaults[0]), "operator:node-a", TimeSpan.FromHours(1), TimeProvider.System.GetUtcNow())).Granted);

        await using var op = await OperatorHarness.StartAsync(settings);
        await op.WaitAsync(() => op.FinishedAsync("keeper-alpha"), TimeSpan.FromSeconds(240), "the keeper job's run");

        // The pass itself fails (keeper.json's node, 127.0.0.1:1, does not answer), which shows it ran: the lease did not stop it.
        var run = (await op.Runs.ListAsync(10, "keeper-alpha", CancellationToken.None)).First(r => r.Outcome != RunOutcome.Running);
        Assert.AreEqual(RunOutcome.Failed, run.Outcome, run.Message);
        StringAssert.Contains(run.Error, "eth_chainId to http://127.0.0.1:1", "the pass reached keeper.json's node");
        Assert.IsFalse((run.Message ?? "").Contains("driven by another keeper", StringComparison.Ordinal), run.Message);
        Assert.IsTrue((await store.TryAcquireLeaseAsync(KeeperRunner.LeaseKey(keeper.Vaults[0]), "keeper:standalone", TimeSpan.FromHours(1), TimeProvider.System.GetUtcNow())).Granted, "released after the pass");
    }

    /// <summary>keeper.json for local-chain vaults (chain id 31337, the dev key) whose store lies in <paramref name="folder"/>.</summary>
    private static string WriteKeeperConfig(TempFolder folder, params string[] vaults)
    {
        var chain = folder.Combine("chain.json");
        File.WriteAllText(chain, """
            {"rpcUrl":"http://127.0.0.1:1/","chainId":31337,"vault":"0x00000000000000000000000000000000000000aa","router":"0x00000000000000000000000000000000000000bb",
             "owner":"0x00000000000000000000000000000000000000cc","keeper":"0x00000000000000000000000000000000000000dd",
             "quoteToken":{"symbol":"USDC","address":"0x00000000000000000000000000000000000000ee","decimals":6,"feed":"0x00000000000000000000000000000000000000f1"},
             "assets":[{"symbol":"BTC","address":"0x00000000000000000000000000000000000000ff","decimals":8,"pool":"0x0000000000000000000000000000000000000101","price":30000,"feed":"0x0000000000000000000000000000000000000102"}]}
            """);
        var path = folder.Combine("keeper.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            serviceUrl = "http://127.0.0.1:1/",
            key = new { dev = true },
            store = folder.Combine("keeper", "keeper.db"),
            vaults = vaults.Select((v, i) => new
            {
                name = v, chain, chainId = 31337, vault = $"0x{i + 0xaa:x40}", marketData = new { source = "synthetic" },
            }).ToArray(),
        }));
        return path;
    }
}
