using System.Text.Json.Nodes;
using Predictive.Onnx.Manifest;
using Predictive.Operator.Storage;
using Predictive.Research.Statistics;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class TrainFromSearchTests
{
    [TestMethod]
    public async Task Train_FromSearchWithAnOperatorTrialAfterIt_CardCountsEveryLedgerTrial()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"from-search-{Guid.NewGuid():N}");
        var db = Path.Combine(dir, "ledger.db");
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("research", "search", "--data", "synthetic", "--candidates", "1", "--epochs", "1", "--seed", "5", "--db", db, "--out", dir);
            Assert.AreEqual(0, exit, stderr);
            var ledger = new SqlTrialLedger(new SqliteOperatorDatabase($"Data Source={db}"));
            await ledger.RecordAsync(new TrialRecord("challenger-1", "operator", "w", 0.05, 300, 0, 3, DateTimeOffset.UnixEpoch), CancellationToken.None);
            var model = Path.Combine(dir, "model");

            (exit, _, stderr) = await CliRunner.RunAsync("train", "--from-search", Path.Combine(dir, "search.json"), "--db", db, "--ensemble-seeds", "1,2", "--out", model, "--baselines", "none");

            Assert.AreEqual(0, exit, stderr);
            var search = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "search.json")))!;
            var card = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(model, ModelManifest.FileName)))!["card"]!;
            var all = await ledger.AllAsync(CancellationToken.None);
            Assert.HasCount(5, all, "4 search trials (1 candidate × 4 outer folds) and the operator's");
            Assert.AreEqual(all.Count, (int)card["search"]!["trials_in_ledger"]!);
            Assert.AreEqual(all.Count, (int)card["deflated_sharpe"]!["trials"]!);
            Assert.AreEqual((int)search["trials_this_search"]!, (int)card["search"]!["trials_in_search"]!);
            Assert.AreEqual((int)search["ledger_trials"]!, (int)card["search"]!["trials_in_ledger_recorded_by_search"]!);
            Assert.AreEqual(search["space"]!.AsArray().Count, card["search"]!["space"]!.AsArray().Count);
            Assert.AreEqual((string?)search["outer_folds"]!.AsArray()[^1]!["chosen"], (string?)card["configuration"]!["name"]);
            Assert.AreEqual(1, (int)card["configuration"]!["epochs"]!, "the search's epochs");
            CollectionAssert.AreEqual(new[] { 1, 2 }, card["seeds"]!["members"]!.AsArray().Select(m => (int)m!["seed"]!).ToArray());
            var sharpes = all.Select(t => t.SharpePerBar).ToArray();
            var variance = Math.Pow(ReturnStatistics.StdDev(sharpes), 2);
            Assert.AreEqual(variance, (double)card["deflated_sharpe"]!["trial_sharpe_variance_per_bar"]!, variance * 1e-8, "9 significant digits");
            ModelPackage.Open(model);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [TestMethod]
    public async Task Train_FromSearchWithCost_FailsNamingTheConflict()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--from-search", "search.json", "--cost", "pool", "--out", Path.GetTempPath());

        Assert.AreEqual(1, exit);
        Assert.Contains("--cost", stderr);
        Assert.Contains("cannot change it", stderr);
    }

    [TestMethod]
    public async Task Train_FromMissingSearchFile_FailsNamingTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"nope-{Guid.NewGuid():N}.json");

        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--from-search", missing, "--out", Path.GetTempPath());

        Assert.AreEqual(1, exit);
        Assert.Contains(missing, stderr);
        Assert.Contains("does not exist", stderr);
    }
}
