using System.Text.Json;
using Predictive.Chain.Transactions;
using Predictive.Cli;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Cluster;

/// <summary>
/// <c>predictive keeper run --postgres</c> on an operator cluster's database and an operator node's keeper job drive one
/// vault (PostgreSQL, anvil): the same lease, decision log, fenced journal and state, so never both at once.
/// </summary>
[TestClass]
[TestCategory("Slow")]
[TestCategory("Integration")]
public sealed class StandaloneKeeperTests
{
    [TestMethod]
    public async Task KeeperRunOnThePostgresStores_HoldsTheLease_OperatorKeeperJobSkipsNamingTheHolder()
    {
        await using var world = await KeeperJobWorld.StartAsync(120, startOperator: false);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var keeper = Task.Run(() => CliApp.RunAsync(
            ["keeper", "run", "--config", world.Chain.Config, "--postgres", world.ConnectionString, "--rounds", "1"], stdout, stderr, TimeProvider.System));
        // The standalone keeper's pass records its signed swap in the database's journal, and waits there for blocks.
        await world.WaitForFirstSignedSwapAsync();
        var lease = await world.LeaseAsync();
        Assert.IsNotNull(lease, "the vault's lease is held");
        StringAssert.StartsWith(lease.Owner, "keeper:");

        await world.StartOperatorAsync();
        var run = await world.EndedRunAsync();
        Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
        StringAssert.Contains(run.Message, $"no pass, driven by another keeper ({lease.Owner})");

        Assert.AreEqual(0, await world.MineUntilAsync(() => keeper), stderr.ToString());
        var decision = (await new SqlKeeperStore(world.Database).ReadDecisionsAsync(KeeperChain.Vault, 10)).Single();
        Assert.AreEqual("trade", decision.Outcome, "the standalone keeper's pass, in the cluster's decision log");
        var confirmed = world.Journal().Where(e => e.Step == ExecutionStep.Confirmed).Select(e => e.MinedHash).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var swap in decision.Swaps)
        {
            Assert.Contains(swap.TxHash, confirmed, $"swap {swap.IntentId} is confirmed in the cluster's journal");
        }

        Assert.IsFalse(Directory.Exists(world.Chain.StoreFolder), "keeper.json's SQLite store and state files were not used");
    }

    [TestMethod]
    public async Task OperatorKeeperJob_HoldsTheLease_KeeperRunOnThePostgresStoresSkipsNamingTheHolder()
    {
        await using var world = await KeeperJobWorld.StartAsync(120);
        // The operator node's pass signs its first swap and waits for blocks, holding the vault's lease.
        await world.WaitForFirstSignedSwapAsync();
        var journalBefore = world.Journal().Count;

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CliApp.RunAsync(["keeper", "run", "--config", world.Chain.Config, "--postgres", world.ConnectionString, "--rounds", "1"], stdout, stderr, TimeProvider.System);

        Assert.AreEqual(0, exit, stderr.ToString());
        var events = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var held = events.Single(e => e.GetProperty("event").GetString() == "lease-held");
        Assert.AreEqual("operator:node-a", held.GetProperty("holder").GetString());
        Assert.IsFalse(events.Any(e => e.GetProperty("event").GetString() == "pass"), stdout.ToString());
        Assert.HasCount(journalBefore, world.Journal(), "the standalone keeper wrote nothing in the vault's journal");
        Assert.IsEmpty(await new SqlKeeperStore(world.Database).ReadDecisionsAsync(KeeperChain.Vault, 10), "and no decision");

        var run = await world.MineUntilAsync(world.EndedRunAsync);
        Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
        Assert.AreEqual("trade", (await new SqlKeeperStore(world.Database).ReadDecisionsAsync(KeeperChain.Vault, 10)).Single().Outcome);
    }
}
