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
        var lease = await world.LeaseAsync();
        Assert.IsNotNull(lease, "the vault's lease is held");
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
    public async Task KeeperJob_LeaseTakenMidPass_PassEndsAtItsNextRefusedWriteAsLeaseLostAndWritesNothingFurther()
    {
        await using var world = await KeeperJobWorld.StartAsync(LeaseSeconds);
        var (journalBefore, stateBefore) = await TakeOverMidPassAsync(world, release: false);

        var decision = await EndedAsync(world, journalBefore, stateBefore, "operator:node-b");

        Assert.AreEqual("operator:node-b", (await world.LeaseAsync())?.Owner, "node-a's end of pass left the new holder's lease alone");
        StringAssert.Contains(decision.Explanation, "the lease passed to operator:node-b during the pass");
    }

    [TestMethod]
    public async Task KeeperJob_LeaseTakenAndReleasedMidPass_RenewalNeverTakesItBackAndPassWritesNothingFurther()
    {
        await using var world = await KeeperJobWorld.StartAsync(LeaseSeconds);
        var (journalBefore, stateBefore) = await TakeOverMidPassAsync(world, release: true);

        // Which holder the refusal names depends on whether a renewal tick fell between node-b's takeover and its release.
        var decision = await EndedAsync(world, journalBefore, stateBefore, "the lease passed to ");

        Assert.IsNull(await world.LeaseAsync(), "node-a's renewals did not recreate the released lease");
        StringAssert.Contains(decision.Explanation, "during the pass");
    }

    /// <summary>
    /// Waits for node-a's pass to sign its first swap, then has node-b take the lease over with a long expiry (as a
    /// takeover from a node declared dead does) and, if <paramref name="release"/>, finish and release it; then waits two
    /// renewal periods so node-a's renewal meets the change. The journal's length and the state's version before the change.
    /// </summary>
    private static async Task<(int Journal, string State)> TakeOverMidPassAsync(KeeperJobWorld world, bool release)
    {
        await world.WaitForFirstSignedSwapAsync();
        var before = (world.Journal().Count, await world.StateVersionAsync());
        await using (var connection = await world.Database.OpenAsync(CancellationToken.None))
        {
            await using (var take = OperatorDatabase.Command(
                connection, "UPDATE keeper_leases SET owner = 'operator:node-b', expires_ms = @p1 WHERE vault = @p0;",
                world.Chain.LeaseKey, TimeProvider.System.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds()))
            {
                Assert.AreEqual(1, await take.ExecuteNonQueryAsync());
            }

            if (release)
            {
                await new SqlKeeperStore(world.Database).ReleaseLeaseAsync(world.Chain.LeaseKey, "operator:node-b");
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(2 * LeaseSeconds / 3.0 + 1));
        return before;
    }

    /// <summary>
    /// Mines until node-a's run ends and checks it ended as a lease loss: the run failed saying so and holding
    /// <paramref name="named"/> (the holder), the pass's one decision is lease-lost (its confirmation write refused, so no trade), and nothing reached
    /// the journal or the state after the lease moved. The decision.
    /// </summary>
    private static async Task<Predictive.Keeper.Store.DecisionRecord> EndedAsync(KeeperJobWorld world, int journalBefore, string stateBefore, string named)
    {
        var run = await world.MineUntilAsync(world.EndedRunAsync);

        Assert.AreEqual(RunOutcome.Failed, run.Outcome, run.Message);
        StringAssert.Contains(run.Error ?? run.Message, "error, lease lost");
        StringAssert.Contains(run.Error ?? run.Message, named);
        Assert.HasCount(journalBefore, world.Journal(), "node-a recorded nothing in the journal after the lease moved");
        Assert.AreEqual(stateBefore, await world.StateVersionAsync(), "node-a wrote no state after the lease moved");
        var decision = (await new SqlKeeperStore(world.Database).ReadDecisionsAsync(KeeperChain.Vault, 10)).Single();
        Assert.AreEqual("error", decision.Outcome, "the pass waited for its sent swap's receipt and ended at the refused confirmation write");
        Assert.AreEqual(KeeperRunner.LeaseLost, decision.Reason);
        StringAssert.Contains(decision.Explanation, "this keeper's next journal or state write was refused and the pass ended there");
        StringAssert.Contains(decision.Explanation, "no longer holds the lease");
        return decision;
    }
}
