using Predictive.Chain.Transactions;
using Predictive.Keeper.Running;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Cluster;

/// <summary>
/// A keeper job's lease is renewed while its pass runs (PostgreSQL, anvil, a 6 s lease): the pass waits between two swaps
/// for blocks only the test mines, so it lasts as long as the test wants.
/// </summary>
[TestClass]
[TestCategory("Slow")]
[TestCategory("Integration")]
public sealed class LeaseRenewalTests
{
    private const int LeaseSeconds = 6;

    [TestMethod]
    public async Task KeeperJob_PassOutlivesSeveralLeaseLengths_KeepsTheLeaseAndItsFencedWritesLand()
    {
        await using var world = await KeeperJobWorld.StartAsync(LeaseSeconds);
        await world.WaitForFirstSignedSwapAsync();
        var signedAt = TimeProvider.System.GetUtcNow();

        // Three lease lengths with the pass stalled between two swaps: without renewal the lease would have lapsed twice.
        await Task.Delay(TimeSpan.FromSeconds(3 * LeaseSeconds));
        var lease = (await new SqlKeeperStore(world.Database).ReadLeasesAsync()).Single(l => l.Vault == world.Chain.LeaseKey);
        Assert.AreEqual("operator:node-a", lease.Owner);
        Assert.IsGreaterThan(TimeProvider.System.GetUtcNow(), lease.ExpiresAt, "the lease was renewed past its first expiry");

        var run = await world.MineUntilAsync(world.EndedRunAsync);
        Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, $"{run.Message} {run.Error}");
        StringAssert.Contains(run.Message, "vault demo: trade");
        Assert.IsGreaterThan(TimeSpan.FromSeconds(3 * LeaseSeconds), TimeProvider.System.GetUtcNow() - signedAt, "the pass outlived three lease lengths");

        // Every swap of the decision was recorded confirmed after the first lease length had long passed: the fence let the writes through.
        var decision = (await new SqlKeeperStore(world.Database).ReadDecisionsAsync(KeeperChain.Vault, 10)).Single();
        Assert.AreEqual("trade", decision.Outcome);
        var confirmed = world.Journal().Where(e => e.Step == ExecutionStep.Confirmed).Select(e => e.MinedHash).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.IsGreaterThan(1, decision.Swaps.Count, "the plan had more than one swap");
        foreach (var swap in decision.Swaps)
        {
            Assert.Contains(swap.TxHash, confirmed, $"swap {swap.IntentId} is confirmed in the journal");
        }
    }

    [TestMethod]
    public async Task KeeperJob_LeaseTakenMidPass_PassStopsAndWritesNothingFurther()
    {
        await using var world = await KeeperJobWorld.StartAsync(LeaseSeconds);
        await world.WaitForFirstSignedSwapAsync();

        // Another node takes the lease over (as a takeover from a node declared dead does), with a long expiry.
        var journalBefore = world.Journal().Count;
        var stateBefore = await world.StateVersionAsync();
        await using (var connection = await world.Database.OpenAsync(CancellationToken.None))
        await using (var take = OperatorDatabase.Command(
            connection, "UPDATE keeper_leases SET owner = 'operator:node-b', expires_ms = @p1 WHERE vault = @p0;",
            world.Chain.LeaseKey, TimeProvider.System.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds()))
        {
            Assert.AreEqual(1, await take.ExecuteNonQueryAsync());
        }

        // Two renewal periods for node-a's renewal to find the lease gone, then blocks so the pass reaches its next safe point.
        await Task.Delay(TimeSpan.FromSeconds(2 * LeaseSeconds / 3.0 + 1));
        var run = await world.MineUntilAsync(world.EndedRunAsync);

        Assert.AreEqual(RunOutcome.Failed, run.Outcome, run.Message);
        StringAssert.Contains(run.Error ?? run.Message, "lease lost");
        StringAssert.Contains(run.Error ?? run.Message, "operator:node-b");
        Assert.HasCount(journalBefore, world.Journal(), "node-a recorded nothing in the journal after the lease moved");
        Assert.AreEqual(stateBefore, await world.StateVersionAsync(), "node-a wrote no state after the lease moved");
        var decisions = await new SqlKeeperStore(world.Database).ReadDecisionsAsync(KeeperChain.Vault, 10);
        Assert.IsTrue(decisions.All(d => d.Outcome != "trade"), $"no trade decision: {string.Join(", ", decisions.Select(d => $"{d.Outcome}/{d.Reason}"))}");
        Assert.AreEqual(KeeperRunner.LeaseLost, decisions.Single().Reason);
        var lease = (await new SqlKeeperStore(world.Database).ReadLeasesAsync()).Single(l => l.Vault == world.Chain.LeaseKey);
        Assert.AreEqual("operator:node-b", lease.Owner, "node-a's end of pass left the new holder's lease alone");
    }
}
