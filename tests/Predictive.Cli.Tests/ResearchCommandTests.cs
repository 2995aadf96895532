using System.Text.Json;
using Predictive.Operator.Storage;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class ResearchCommandTests
{
    [TestMethod]
    public async Task Search_TwiceWithAnOperatorTrialBetween_LedgerCountsEveryTrialOnce()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"search-{Guid.NewGuid():N}");
        var db = Path.Combine(dir, "ledger.db");
        try
        {
            string[] args = ["research", "search", "--data", "synthetic", "--candidates", "2", "--epochs", "1", "--seed", "5", "--db", db, "--out", dir];
            var (exit, stdout, stderr) = await CliRunner.RunAsync(args);
            Assert.AreEqual(0, exit, stderr);
            var first = Json(dir);

            // 2 candidates × 4 outer folds, each one trial; the operator then evaluates one challenger of its own.
            Assert.AreEqual(8, first.GetProperty("trials_this_search").GetInt32());
            Assert.AreEqual(8, first.GetProperty("ledger_trials").GetInt32());
            Assert.HasCount(4, first.GetProperty("outer_folds").EnumerateArray().ToList());
            Assert.Contains("trial 8/8", stderr, "progress names each trial");
            Assert.IsTrue(File.Exists(Path.Combine(dir, "search.html")));
            Assert.Contains("deflated Sharpe", stdout);
            Assert.HasCount(Predictive.Core.Allocation.Allocators.Names.Count, first.GetProperty("classical").GetProperty("allocators").EnumerateArray().ToList());
            Assert.Contains(first.GetProperty("goal").GetProperty("statement").GetString()!, stdout, "the verdict is stated plainly");
            Assert.AreEqual(4, first.GetProperty("outer_outcome").GetProperty("confidence").GetProperty("sharpe_folds").GetArrayLength());
            var ledger = new SqlTrialLedger(new SqliteOperatorDatabase($"Data Source={db}"));
            await ledger.RecordAsync(new TrialRecord("challenger-1", "operator", "w", 0.05, 300, 0, 3, DateTimeOffset.UnixEpoch), CancellationToken.None);

            (exit, _, stderr) = await CliRunner.RunAsync(args);

            Assert.AreEqual(0, exit, stderr);
            var second = Json(dir);
            Assert.AreEqual(9, second.GetProperty("ledger_trials").GetInt32(), "the same search's trials are not counted twice; the operator's is counted");
            var all = await ledger.AllAsync(CancellationToken.None);
            Assert.HasCount(9, all);
            Assert.AreEqual(8, all.Count(t => t.Source == "research"));
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
    public async Task Study_OneVariantOneSeedWithLedger_WritesTableAgainstEqualWeightAndClassicalDeflatedByLedger()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"study-{Guid.NewGuid():N}");
        var db = Path.Combine(dir, "ledger.db");
        try
        {
            Directory.CreateDirectory(dir);
            var ledger = new SqlTrialLedger(new SqliteOperatorDatabase($"Data Source={db}"));
            await ledger.RecordAsync(new TrialRecord("challenger-1", "operator", "w", 0.05, 300, 0, 3, DateTimeOffset.UnixEpoch), CancellationToken.None);
            await ledger.RecordAsync(new TrialRecord("challenger-2", "operator", "w", -0.02, 300, 0, 3, DateTimeOffset.UnixEpoch), CancellationToken.None);

            var (exit, stdout, stderr) = await CliRunner.RunAsync("research", "study", "--data", "synthetic", "--seeds", "3", "--variants", "pool+mvtilt", "--classical", "equal,hrp", "--epochs", "1", "--db", db, "--out", dir);

            Assert.AreEqual(0, exit, stderr);
            var table = await File.ReadAllTextAsync(Path.Combine(dir, "study.md"));
            Assert.Contains("| pool+mvtilt |", table);
            Assert.Contains("| 1/N |", table);
            Assert.Contains("| classical hrp |", table);
            Assert.Contains(table.Trim(), stdout);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "study.json")));
            var variants = doc.RootElement.GetProperty("variants").EnumerateArray().ToList();
            Assert.HasCount(1, variants);
            Assert.AreEqual("hrp", doc.RootElement.GetProperty("classical").GetProperty("best").GetString());
            Assert.Contains(variants[0].GetProperty("verdict").GetProperty("statement").GetString()!, table);

            // One seed and its ensemble are the study's two trials; the ledger's two operator trials count too.
            var all = await ledger.AllAsync(CancellationToken.None);
            Assert.HasCount(4, all);
            Assert.AreEqual(2, all.Count(t => t.Source == "research"));
            Assert.AreEqual(4, doc.RootElement.GetProperty("trials").GetInt32());
            Assert.Contains("over 4 trials", table);
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
    public async Task Study_UnknownClassicalAllocator_FailsNamingIt()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("research", "study", "--classical", "equal,nope", "--out", Path.GetTempPath());

        Assert.AreNotEqual(0, exit);
        Assert.Contains("--classical", stderr);
        Assert.Contains("nope", stderr);
    }

    [TestMethod]
    public async Task Study_EmptyClassical_FailsNamingTheOption()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("research", "study", "--classical", " ", "--out", Path.GetTempPath());

        Assert.AreNotEqual(0, exit);
        Assert.Contains("--classical is empty", stderr);
    }

    [TestMethod]
    [DataRow("ALL")]
    [DataRow("None")]
    public async Task Study_AllOrNoneInAnyCase_AcceptedAsTheKeyword(string value)
    {
        // An unknown variant stops the command after --classical is parsed, so only --classical's error could differ.
        var (exit, _, stderr) = await CliRunner.RunAsync("research", "study", "--classical", value, "--variants", "nope", "--out", Path.GetTempPath());

        Assert.AreNotEqual(0, exit);
        Assert.DoesNotContain("--classical", stderr);
        Assert.Contains("--variants: 'nope'", stderr);
    }

    [TestMethod]
    public async Task Study_UnknownVariant_FailsNamingIt()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("research", "study", "--variants", "nope", "--out", Path.GetTempPath());

        Assert.AreNotEqual(0, exit);
        Assert.Contains("'nope'", stderr);
    }

    [TestMethod]
    public async Task Train_GbmWithEnsembleSeeds_FailsNamingTheTorchOnlyOptions()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--data", "synthetic", "--model", "gbm", "--out", Path.GetTempPath(), "--ensemble-seeds", "1,2");

        Assert.AreEqual(1, exit);
        Assert.Contains("--ensemble-seeds", stderr);
        Assert.Contains("not gbm", stderr);
    }

    [TestMethod]
    public async Task Train_OneEnsembleSeed_FailsAskingForTwo()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("train", "--data", "synthetic", "--model", "eiie", "--out", Path.GetTempPath(), "--ensemble-seeds", "1");

        Assert.AreEqual(1, exit);
        Assert.Contains("at least two distinct seeds", stderr);
    }

    private static JsonElement Json(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "search.json")));
        return doc.RootElement.Clone();
    }
}
