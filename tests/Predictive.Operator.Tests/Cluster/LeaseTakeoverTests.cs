using Npgsql;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Cluster;

/// <summary>A vault lease left by an operator node the Quartz cluster declared dead is taken over at once, not waited out.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class LeaseTakeoverTests
{
    [TestMethod]
    public async Task KeeperJob_LeaseHeldByANodeTheClusterDeclaredDead_TakenOverAtOnceAndThePassTrades()
    {
        using var folder = new TempFolder();
        await using var chain = await KeeperChain.StartAsync(folder);
        var connection = await PostgresServer.CreateDatabaseAsync();
        using var database = new PostgresOperatorDatabase(connection);
        try
        {
            // node-a took the lease for an hour, then died; Quartz has declared it dead (it has no qrtz_scheduler_state row).
            Assert.IsTrue((await new SqlKeeperStore(database).TryAcquireLeaseAsync(chain.LeaseKey, "operator:node-a", TimeSpan.FromHours(1), TimeProvider.System.GetUtcNow())).Granted);
            var settings = chain.OperatorSettings("node-b", connection);
            KeeperChain.ActivateBundledModel(folder.Combine("models"));

            await using (var op = await OperatorHarness.StartAsync(settings))
            {
                await op.WaitAsync(() => op.FinishedAsync("keeper-demo"), TimeSpan.FromSeconds(240), "the keeper job's pass");
                var run = (await op.Runs.ListAsync(10, "keeper-demo", CancellationToken.None)).First(r => r.Outcome != RunOutcome.Running);
                Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
                StringAssert.Contains(run.Message, "vault demo: trade");
                StringAssert.Contains(run.Message, "lease taken over from operator:node-a");
            }

            var decisions = await new SqlKeeperStore(database).ReadDecisionsAsync(KeeperChain.Vault, 10);
            Assert.HasCount(1, decisions, "one pass, long before node-a's lease would have expired");
            Assert.IsTrue((await new SqlKeeperStore(database).TryAcquireLeaseAsync(chain.LeaseKey, "keeper:other", TimeSpan.FromMinutes(1), TimeProvider.System.GetUtcNow())).Granted, "node-b released the lease after its pass");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }

    [TestMethod]
    public async Task TryTakeOverFromDeadNodeAsync_HolderChecksIn_RefusedAndHolderAbsent_Taken()
    {
        using var folder = new TempFolder();
        var connection = await PostgresServer.CreateDatabaseAsync();
        using var database = new PostgresOperatorDatabase(connection);
        try
        {
            var settings = OperatorHarness.QuickSettings(folder);
            settings["Operator:NodeId"] = "node-b";
            settings["Operator:Store:Provider"] = "postgres";
            settings["Operator:Store:ConnectionString"] = connection;
            await using var op = await OperatorHarness.StartAsync(settings);
            await OperatorHarness.WaitUntilAsync(async () => await CheckedInAsync(database, "node-b"), TimeSpan.FromSeconds(60), "node-b's first check-in");
            var store = new SqlKeeperStore(database);
            var now = TimeProvider.System.GetUtcNow();
            await TestDatabase.HoldLeaseAsync(database, "31337:0xalive", "operator:node-b");
            await TestDatabase.HoldLeaseAsync(database, "31337:0xgone", "operator:node-gone");

            Assert.IsFalse(await store.TryTakeOverFromDeadNodeAsync("31337:0xalive", "operator:node-b", "node-b", "operator:node-z", TimeSpan.FromMinutes(1), now), "node-b checks in: its lease stays");
            Assert.IsTrue(await store.TryTakeOverFromDeadNodeAsync("31337:0xgone", "operator:node-gone", "node-gone", "operator:node-z", TimeSpan.FromMinutes(1), now), "node-gone has no row: its lease moves");
            Assert.IsFalse(await store.TryTakeOverFromDeadNodeAsync("31337:0xgone", "operator:node-gone", "node-gone", "operator:node-y", TimeSpan.FromMinutes(1), now), "taken over once: node-gone no longer holds it");

            var leases = (await store.ReadLeasesAsync()).ToDictionary(l => l.Vault, l => l.Owner, StringComparer.Ordinal);
            Assert.AreEqual("operator:node-b", leases["31337:0xalive"]);
            Assert.AreEqual("operator:node-z", leases["31337:0xgone"]);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }

    private static async Task<bool> CheckedInAsync(OperatorDatabase database, string node)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var command = OperatorDatabase.Command(connection, "SELECT COUNT(*) FROM qrtz_scheduler_state WHERE instance_name = @p0;", node);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }
}
