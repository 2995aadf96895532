using System.Text.Json;
using Microsoft.Data.Sqlite;
using Predictive.Onnx.Registry;
using Predictive.Operator.Storage;
using Predictive.Tests.Shared;

namespace Predictive.Cli.Tests;

[TestClass]
public sealed class OperatorCommandTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task ModelsActivateThenRollback_TwoVersions_ActiveRecordFollowsBothSteps()
    {
        var models = TempDirectory();
        try
        {
            var onnx = RepositoryPaths.Combine("models", "default", "1", "model.onnx");
            var first = ModelImport.Import(onnx, models, "m", "1");
            ModelImport.Import(onnx, models, "m", "2");

            var (exit1, out1, err1) = await CliRunner.RunAsync("models", "activate", "m/1", "--models", models);
            var (exit2, _, err2) = await CliRunner.RunAsync("models", "activate", "m/2", "--models", models);
            Assert.AreEqual(0, exit1, err1);
            Assert.AreEqual(0, exit2, err2);
            StringAssert.Contains(out1, first.Sha256);
            Assert.AreEqual("m/2", ActiveModelFile.ActiveKey(models));

            var (exit3, out3, err3) = await CliRunner.RunAsync("models", "rollback", "--models", models);
            Assert.AreEqual(0, exit3, err3);
            StringAssert.Contains(out3, "rolled back from m/2");
            Assert.AreEqual("m/1", ActiveModelFile.ActiveKey(models));
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [TestMethod]
    public async Task ModelsActivate_TamperedModel_RefusedAndNothingRecorded()
    {
        var models = TempDirectory();
        try
        {
            ModelImport.Import(RepositoryPaths.Combine("models", "default", "1", "model.onnx"), models, "m", "1");
            var file = Path.Combine(models, "m", "1", "model.onnx");
            var bytes = File.ReadAllBytes(file);
            bytes[^1] ^= 0x5A;
            File.WriteAllBytes(file, bytes);

            var (exit, _, err) = await CliRunner.RunAsync("models", "activate", "m/1", "--models", models);
            Assert.AreEqual(1, exit);
            StringAssert.Contains(err, "cannot be activated");
            Assert.IsNull(ActiveModelFile.Read(models));
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [TestMethod]
    public async Task OperatorRuns_Json_ListsRecordedRunsNewestFirst()
    {
        var folder = TempDirectory();
        var db = Path.Combine(folder, "operator.db");
        try
        {
            var history = new SqliteRunHistory(new SqliteOperatorDatabase($"Data Source={db}"));
            var retrain = await history.StartAsync(new RunStart("retrain", "retrain-cron", "node-a", "f1", false, At, At.AddMilliseconds(40)), CancellationToken.None);
            await history.FinishAsync(retrain, new RunEnd(At.AddSeconds(10), RunOutcome.Succeeded, "trained m/1", "abc", """{"seconds":10}""", null), CancellationToken.None);
            await history.StartAsync(new RunStart("evaluate", "evaluate-cron", "node-a", "f2", true, At.AddMinutes(1), At.AddMinutes(1)), CancellationToken.None);

            var (exit, stdout, err) = await CliRunner.RunAsync("operator", "runs", "--db", db, "--json");
            Assert.AreEqual(0, exit, err);
            var runs = JsonDocument.Parse(stdout).RootElement;
            Assert.AreEqual(2, runs.GetArrayLength());
            Assert.AreEqual("evaluate", runs[0].GetProperty("job").GetString());
            Assert.AreEqual("Running", runs[0].GetProperty("outcome").GetString());
            Assert.IsTrue(runs[0].GetProperty("recovering").GetBoolean());
            Assert.AreEqual("retrain", runs[1].GetProperty("job").GetString());
            Assert.AreEqual(40, runs[1].GetProperty("startLatencyMs").GetDouble());
            Assert.AreEqual("abc", runs[1].GetProperty("modelSha256").GetString());
            Assert.AreEqual(10, runs[1].GetProperty("metrics").GetProperty("seconds").GetDouble());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task OperatorRuns_NoDatabase_ClearErrorNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "predictive-no-such-" + Guid.NewGuid().ToString("N"), "operator.db");
        var (exit, _, err) = await CliRunner.RunAsync("operator", "runs", "--db", missing);
        Assert.AreEqual(1, exit);
        StringAssert.Contains(err, missing);
    }

    private static string TempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "predictive-cli-operator-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
