using System.Text;
using Microsoft.Data.Sqlite;
using Predictive.Onnx.Registry;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Hosting;

/// <summary>
/// The operator as a real child process on its SQLite store, killed with SIGKILL in the middle of a retrain and
/// started again: Quartz recovers the job (<c>context.Recovering</c>), it publishes one version, and at no point does a
/// registry load a half-written one.
/// </summary>
[TestClass]
[TestCategory("Slow")]
public sealed class RecoveryTests
{
    [TestMethod]
    public async Task Retrain_KilledMidTraining_RecoveredOnRestartWithOneVersionAndNoHalfWrittenModelLoaded()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        var database = folder.Combine("work", "operator.db");
        var history = new SqliteRunHistory(new SqliteOperatorDatabase($"Data Source={database}"));
        var output = new StringBuilder();

        // First life: a retrain on start that would take minutes (thousands of epochs, no early stop).
        using (var first = StartOperator(folder, epochs: 5000, retrainOnStart: true, output))
        {
            await OperatorProcess.WaitAsync(
                async () => (await history.ListAsync(10, "retrain", CancellationToken.None)).Any(r => r.Outcome == RunOutcome.Running) && StagingFolders(models).Length > 0,
                TimeSpan.FromSeconds(90),
                "the retrain to start writing its version",
                output);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await first.KillAsync();
        }

        Assert.AreEqual(0, PublishedVersions(models).Length, "nothing was published before the kill");
        Assert.AreEqual(1, StagingFolders(models).Length, "the kill left the staging folder");
        using (var registry = new ModelRegistry(models, TimeProvider.System))
        {
            var change = registry.Reload();
            Assert.AreEqual(0, change.Snapshot.Loaded.Count, "a half-written version is never loaded");
            Assert.AreEqual(0, change.Snapshot.Refused.Count, "a half-written version is not even seen");
        }

        // Second life: no retrain of its own; only Quartz's recovery of the interrupted one can train.
        using (var second = StartOperator(folder, epochs: 3, retrainOnStart: false, output))
        {
            await OperatorProcess.WaitAsync(
                async () => (await history.ListAsync(10, "retrain", CancellationToken.None)).Any(r => r.Recovering && r.Outcome == RunOutcome.Succeeded),
                TimeSpan.FromSeconds(120),
                "the recovered retrain",
                output);
            await second.KillAsync();
        }

        var runs = await history.ListAsync(10, "retrain", CancellationToken.None);
        Assert.AreEqual(2, runs.Count, string.Join(" | ", runs.Select(r => $"{r.Trigger} {r.Outcome} {r.Recovering}")));
        Assert.AreEqual(RunOutcome.Interrupted, runs.Single(r => !r.Recovering).Outcome, "the killed run is marked interrupted on restart");
        var recovered = runs.Single(r => r.Recovering);
        var published = PublishedVersions(models);
        Assert.AreEqual(1, published.Length, "one version, not two");
        Assert.AreEqual(0, StagingFolders(models).Length, "the recovered run replaced the stale staging folder");
        using var after = new ModelRegistry(models, TimeProvider.System);
        var loaded = after.Reload().Snapshot;
        Assert.AreEqual(1, loaded.Loaded.Count);
        Assert.AreEqual(0, loaded.Refused.Count);
        Assert.AreEqual(recovered.ModelSha256, loaded.Loaded.Values.Single().Sha256);
        SqliteConnection.ClearAllPools();
    }

    private static string[] StagingFolders(string models) => Folders(models).Where(f => Path.GetFileName(f).StartsWith(ModelVersionWriter.StagingPrefix, StringComparison.Ordinal)).ToArray();

    private static string[] PublishedVersions(string models) => Folders(models).Where(f => !Path.GetFileName(f).StartsWith('.')).ToArray();

    private static string[] Folders(string models)
    {
        var name = Path.Combine(models, "operator-allocator");
        return Directory.Exists(name) ? Directory.GetDirectories(name) : [];
    }

    private static OperatorProcess StartOperator(TempFolder folder, int epochs, bool retrainOnStart, StringBuilder output) =>
        OperatorProcess.Start(folder.Path, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Operator__WorkingDirectory"] = folder.Combine("work"),
            ["Operator__ModelsDirectory"] = folder.Combine("models"),
            ["Operator__Retrain__Epochs"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Operator__Retrain__Patience"] = epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Operator__Retrain__ValidationSize"] = "120",
            ["Operator__Schedules__RetrainOnStart"] = retrainOnStart ? "true" : "false",
            ["Operator__Schedules__Retrain"] = OperatorHarness.Never,
            ["Operator__Schedules__Evaluate"] = OperatorHarness.Never,
            ["Operator__Schedules__Promote"] = OperatorHarness.Never,
        }, output);
}
