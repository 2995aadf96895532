using Npgsql;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Cluster;

/// <summary>A keeper job on a PostgreSQL operator keeps its pass's journal and live state in the database, not on the node's disk.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class KeeperJobStateTests
{
    [TestMethod]
    public async Task KeeperJob_OnPostgres_JournalAndStateRowsInTheDatabaseAndNoFilesOnTheNode()
    {
        using var folder = new TempFolder();
        await using var chain = await KeeperChain.StartAsync(folder);
        var connection = await PostgresServer.CreateDatabaseAsync();
        var settings = chain.OperatorSettings("node-a", connection);
        KeeperChain.ActivateBundledModel(folder.Combine("models"));

        using var database = new PostgresOperatorDatabase(connection);
        try
        {
            await using (var op = await OperatorHarness.StartAsync(settings))
            {
                await op.WaitAsync(() => op.FinishedAsync("keeper-demo"), TimeSpan.FromSeconds(240), "the keeper job's pass");
                var run = (await op.Runs.ListAsync(10, "keeper-demo", CancellationToken.None)).First(r => r.Outcome != RunOutcome.Running);
                Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, run.Error);
                StringAssert.Contains(run.Message, "vault demo: trade");
            }

            // The journal in execution_journal: every swap the decision log records is a confirmed entry there.
            var journal = ExecutionJournal.Open(new SqlJournalStore(database, chain.LeaseKey)).Entries;
            var decisions = await new SqlKeeperStore(database).ReadDecisionsAsync(KeeperChain.Vault, 10);
            Assert.HasCount(1, decisions);
            Assert.IsNotEmpty(decisions[0].Swaps);
            var confirmed = journal.Where(e => e.Step == ExecutionStep.Confirmed).Select(e => e.MinedHash).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var swap in decisions[0].Swaps)
            {
                Assert.Contains(swap.TxHash, confirmed, $"swap {swap.IntentId} is a confirmed entry of the database journal");
            }

            // The live state in keeper_state: the pipeline state the pass saved.
            var state = new SqlStateDocuments(database, chain.LeaseKey).Read(OnChainRebalancer.StateFileName);
            Assert.IsNotNull(state, "keeper.state.json is a keeper_state row");

            // And nothing of the pass on the node's disk: no store folder (journal and state would sit beside keeper.db), no journal or state file anywhere.
            Assert.IsFalse(Directory.Exists(chain.StoreFolder), $"{chain.StoreFolder} exists");
            var files = Directory.GetFiles(folder.Path, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
            Assert.DoesNotContain(Predictive.Keeper.Pass.VaultStateStores.JournalFileName, files);
            Assert.DoesNotContain(OnChainRebalancer.StateFileName, files);
            Assert.DoesNotContain(OnChainRebalancer.RunFileName, files);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
        }
    }
}
