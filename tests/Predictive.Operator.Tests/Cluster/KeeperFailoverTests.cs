using System.Globalization;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Cluster;

/// <summary>Two operator nodes on one PostgreSQL; the node running a keeper job is killed between two swaps of its plan.</summary>
[TestClass]
[TestCategory("Slow")]
[TestCategory("Integration")]
public sealed class KeeperFailoverTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task KeeperJob_NodeKilledBetweenTwoSwaps_OtherNodeRecoversAndTheVaultTradesOnceToTarget()
    {
        using var cluster = await ClusterNodes.CreateAsync();
        // Two confirmations: each swap waits for a block after its own, which only the test mines, so the pass stops between swaps.
        await using var chain = await KeeperChain.StartAsync(cluster.Folder, confirmations: 2);
        KeeperChain.ActivateBundledModel(cluster.Models);
        var keeper = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Operator__Keeper__Config"] = chain.Config,
            ["Operator__Keeper__Vaults__0__Name"] = KeeperChain.Vault,
            ["Operator__Keeper__Vaults__0__IntervalSeconds"] = "3600",
        };
        var a = cluster.Start("node-a", keeper);
        await cluster.WaitAsync(async () => await KeeperChain.SignedSwapsAsync(cluster.Database) > 0, TimeSpan.FromSeconds(180), "node-a's pass to sign its first swap");
        cluster.Start("node-b", keeper);
        await cluster.WaitAsync(async () => await cluster.LastCheckinAsync("node-b") is not null, TimeSpan.FromSeconds(60), "node-b to join the cluster");

        var signedBeforeKill = await KeeperChain.SignedSwapsAsync(cluster.Database);
        await a.KillAsync();
        var killed = TimeProvider.System.GetUtcNow();
        using var rpc = new EvmRpcClient(new RpcClientOptions { Endpoint = new Uri(chain.Manifest.RpcUrl) });
        using var stopMining = new CancellationTokenSource();
        var mining = KeeperChain.MineAsync(rpc, stopMining.Token);
        try
        {
            await cluster.WaitAsync(
                async () => (await cluster.History.ListAsync(20, "keeper-demo", CancellationToken.None)).Any(r => r.Recovering && r.Outcome != RunOutcome.Running),
                TimeSpan.FromSeconds(240),
                "node-b's recovery of the keeper job");
        }
        finally
        {
            await stopMining.CancelAsync();
            await mining;
        }

        var runs = await cluster.History.ListAsync(20, "keeper-demo", CancellationToken.None);
        var recovered = runs.Single(r => r.Recovering);
        Assert.AreEqual("node-b", recovered.Node);
        Assert.AreEqual(RunOutcome.Succeeded, recovered.Outcome, $"{recovered.Message} {recovered.Error} {cluster.OutputTail()}");
        StringAssert.Contains(recovered.Message, "lease taken over from operator:node-a");

        // Traded once: one decision in the log (the killed pass never recorded one), on target.
        var decisions = await new SqlKeeperStore(cluster.Database).ReadDecisionsAsync(KeeperChain.Vault, 10);
        var trade = decisions.Single(d => d.Outcome == "trade");
        foreach (var (symbol, target) in trade.Targets!)
        {
            Assert.AreEqual(target, trade.WeightsAfter![symbol], 0.01, $"{symbol} ends on target");
        }

        // Per order, each swap once on chain: every keeper transaction on chain is one confirmed journal intent, and no
        // two confirmed intents carry the same call (pair, amount, minimum out).
        var journal = ExecutionJournal.Open(new SqlJournalStore(cluster.Database, chain.LeaseKey)).Entries;
        var confirmed = journal.Where(e => e.Step == ExecutionStep.Confirmed).ToList();
        var sentOnChain = await rpc.GetTransactionCountAsync(AnvilDevAccounts.Keeper.Address);
        Assert.AreEqual(confirmed.Count, (int)sentOnChain, "the keeper's transactions on chain are exactly the journal's confirmed intents");
        Assert.IsTrue(signedBeforeKill < confirmed.Count(e => e.Intent.Id.StartsWith("swap:", StringComparison.Ordinal)), "the kill fell between two swaps");
        var calls = confirmed.GroupBy(e => Convert.ToHexString(e.Intent.Data)).Where(g => g.Count() > 1).Select(g => g.First().Intent.Id).ToList();
        Assert.IsEmpty(calls, $"orders sent twice: {string.Join(", ", calls)}");
        foreach (var swap in trade.Swaps)
        {
            Assert.ContainsSingle(confirmed.Where(e => string.Equals(e.MinedHash, swap.TxHash, StringComparison.OrdinalIgnoreCase)), $"swap {swap.IntentId} is one confirmed intent");
        }

        TestContext.WriteLine(string.Create(CultureInfo.InvariantCulture, $"keeper failover: kill to recovered start {(recovered.Started - killed).TotalSeconds:F1} s (check-in {ClusterNodes.CheckinSeconds} s, threshold {ClusterNodes.ThresholdSeconds} s); swaps signed before the kill {signedBeforeKill}, confirmed in all {confirmed.Count}"));
    }
}
