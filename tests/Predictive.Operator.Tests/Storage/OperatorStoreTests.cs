using Npgsql;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Storage;

/// <summary>The operator's stores on both databases: the same calls give the same records, and migrations run once.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class OperatorStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Stores_RoundTrip_RecordsReadBackAsWritten(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var ct = CancellationToken.None;
        var runs = new SqlRunHistory(database);
        var first = await runs.StartAsync(new RunStart("retrain", "retrain-cron", "node-a", "f1", false, T0, T0.AddMilliseconds(12)), ct);
        var second = await runs.StartAsync(new RunStart("retrain", "recover", "node-b", "f2", true, null, T0.AddSeconds(30)), ct);
        await runs.FinishAsync(second, new RunEnd(T0.AddSeconds(40), RunOutcome.Succeeded, "trained x", "ab", """{"seconds":10}""", null), ct);
        Assert.AreEqual(1, await runs.MarkRecoveredAsync("retrain", "node-b", T0.AddSeconds(41), ct), "only the still-running run is closed");
        var listed = await runs.ListAsync(10, "retrain", ct);
        Assert.HasCount(2, listed);
        Assert.AreEqual(second, listed[0].Id, "newest first");
        Assert.AreEqual(new RunRecord(second, "retrain", "recover", "node-b", "f2", true, null, T0.AddSeconds(30), T0.AddSeconds(40), RunOutcome.Succeeded, "trained x", "ab", """{"seconds":10}""", null), listed[0]);
        Assert.AreEqual(first, listed[1].Id);
        Assert.AreEqual(RunOutcome.Interrupted, listed[1].Outcome);
        Assert.AreEqual(TimeSpan.FromMilliseconds(12), listed[1].StartLatency);
        StringAssert.Contains(listed[1].Error, "node-b recovered the job");

        var ledger = new SqlTrialLedger(database);
        var trial = new TrialRecord("m/1", "operator", "a/b", 0.125, 179, -0.5, 4.25, T0);
        await ledger.RecordAsync(trial, ct);
        var all = await ledger.RecordAsync(trial with { SharpePerBar = 9 }, ct);
        Assert.AreEqual(trial, all.Single(), "recording the same trial again changes nothing");

        var challengers = new SqlChallengerStore(database);
        var record = new ChallengerRecord("m/1", "sha", "/models/m/1", T0, ChallengerStatus.Trained, "trained", null, T0, T0);
        Assert.AreEqual(record, await challengers.AddAsync(record, ct));
        Assert.IsTrue(await challengers.TransitionAsync("m/1", ChallengerStatus.Trained, ChallengerStatus.Approved, "won", "{}", T0.AddSeconds(1), ct));
        Assert.IsFalse(await challengers.TransitionAsync("m/1", ChallengerStatus.Trained, ChallengerStatus.Rejected, "late", null, T0.AddSeconds(2), ct), "a second mover finds it moved");
        Assert.AreEqual(record with { Status = ChallengerStatus.Approved, Note = "won", EvaluationJson = "{}", UpdatedAt = T0.AddSeconds(1) }, await challengers.NextAsync(ChallengerStatus.Approved, ct));
    }

    [TestMethod]
    public async Task Migrate_FourNodesStartTogetherOnPostgres_EachStepAppliedOnce()
    {
        var connection = await PostgresServer.CreateDatabaseAsync();
        var databases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new PostgresOperatorDatabase(connection))));
        try
        {
            await using var open = await databases[0].OpenAsync(CancellationToken.None);
            await using var steps = OperatorDatabase.Command(open, "SELECT count(*), MAX(version) FROM operator_schema;");
            await using var reader = await steps.ExecuteReaderAsync();
            Assert.IsTrue(await reader.ReadAsync());
            Assert.AreEqual(4L, reader.GetInt64(0), "one row per step, not one per node");
            Assert.AreEqual(4, reader.GetInt32(1));
        }
        finally
        {
            foreach (var d in databases)
            {
                d.Dispose();
            }

            NpgsqlConnection.ClearAllPools();
        }
    }
}
