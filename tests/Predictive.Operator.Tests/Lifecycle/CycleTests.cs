using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Predictive.Core.Synthetic;
using Predictive.Onnx.Registry;
using Predictive.Operator.Lifecycle;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Lifecycle;

/// <summary>
/// The scheduled retrain → evaluate → promote cycle, end to end: the real Quartz host on SQLite, a challenger really
/// trained (a few epochs) on the synthetic market, the real backtester and bootstrap, and the real service.
/// </summary>
[TestClass]
[TestCategory("Slow")]
public sealed class CycleTests
{
    private const int MarketSeed = 1;

    private static readonly TimeSpan CycleTimeout = TimeSpan.FromSeconds(180);

    [TestMethod]
    public async Task Cycle_WeakChampionOnService_ChallengerPromotedAndServedAfterRestart()
    {
        using var folder = new TempFolder();
        var models = folder.Combine("models");
        // Seed 1's last 180 bars are a rising market (1/N Sharpe 3.4 there), so a sensible challenger's own Sharpe is
        // clearly positive and the default deflated-Sharpe level (0.95) applies unchanged.
        var worst = WeakChampion.WorstAsset(SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = MarketSeed }), 180, out var assets);
        WeakChampion.Write(models, "weak", "1", assets, worst);

        using (var service = new ServiceFactory(models))
        {
            using var client = service.Start();
            client.DefaultRequestHeaders.Authorization = new("Bearer", ServiceFactory.AdminKey);
            (await client.PostAsync(new Uri("v1/models/weak/1/activate", UriKind.Relative), null)).EnsureSuccessStatusCode();

            var settings = OperatorHarness.QuickSettings(folder);
            settings["Operator:Service:Url"] = client.BaseAddress!.ToString();
            settings["Operator:Service:AdminApiKey"] = ServiceFactory.AdminKey;
            settings["Operator:Data:Seed"] = MarketSeed.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await using (var op = await OperatorHarness.StartAsync(settings, retrainEvery: 5))
            {
                await op.WaitAsync(
                    async () => (await op.Challengers.ListAsync(CancellationToken.None)).Any(c => c.Status is not (ChallengerStatus.Trained or ChallengerStatus.Approved)),
                    CycleTimeout,
                    "the challenger's evaluation and promotion");
                await op.WaitAsync(() => op.FinishedAsync("promote"), CycleTimeout, "the promote run's record");
                var challenger = (await op.Challengers.ListAsync(CancellationToken.None)).Single();
                Assert.AreEqual(ChallengerStatus.Promoted, challenger.Status, challenger.Note);
                var evaluation = JsonSerializer.Deserialize<Evaluation>(challenger.EvaluationJson!)!;
                Assert.AreEqual("weak/1", evaluation.Champion);
                Assert.IsTrue(evaluation.DifferenceCiLow > 0 && evaluation.DeflatedSharpe > 0.95, evaluation.Reason);
                Assert.IsTrue(evaluation.ChallengerSharpe > evaluation.ChampionSharpe, evaluation.Reason);

                var runs = await op.Runs.ListAsync(100, null, CancellationToken.None);
                var retrains = runs.Where(r => r.Job == "retrain").ToList();
                Assert.IsTrue(retrains.All(r => r.Trigger == "retrain-cron"), "the retrain ran on its schedule");
                Assert.AreEqual(1, retrains.Count(r => r.Message?.StartsWith("trained ", StringComparison.Ordinal) == true), "one firing trained; later ones found the version published");
                foreach (var job in new[] { "retrain", "evaluate", "promote" })
                {
                    var run = runs.Where(r => r.Job == job).OrderBy(r => r.Id).First();
                    Assert.AreEqual(RunOutcome.Succeeded, run.Outcome, $"{job}: {run.Error}");
                    Assert.AreEqual(challenger.Sha256, run.ModelSha256, job);
                }

                // The service serves the challenger now, with the file's own SHA-256.
                var served = await client.GetFromJsonAsync<JsonElement>(new Uri("v1/models", UriKind.Relative));
                Assert.AreEqual(challenger.Key, served.GetProperty("default").GetString());
                Assert.AreEqual(Sha256Of(challenger.Directory), challenger.Sha256);
            }
        }

        // A restarted service, given no activation, serves the promoted challenger from active.json.
        using var restarted = new ServiceFactory(models);
        using var fresh = restarted.Start();
        var after = await fresh.GetFromJsonAsync<JsonElement>(new Uri("v1/models", UriKind.Relative));
        var promoted = ActiveModelFile.Read(models)!.Active;
        Assert.AreNotEqual("weak/1", promoted.Key);
        Assert.AreEqual(promoted.Key, after.GetProperty("default").GetString());
    }

    [TestMethod]
    public async Task Cycle_EqualChallenger_NotPromotedAndChampionStays()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        var models = settings["Operator:ModelsDirectory"]!;

        // The champion is what the recorded configuration trains on this data, published under another name: the
        // scheduled retrain then trains an equal challenger.
        var options = new Predictive.Operator.Options.OperatorOptions { ModelsDirectory = models };
        options.Retrain.Epochs = 4;
        options.Retrain.Patience = 4;
        options.Retrain.ValidationSize = 120;
        options.Retrain.ModelName = "incumbent";
        var incumbent = ChallengerTrainer.Train(SyntheticMarket.Generate(new SyntheticMarketOptions()), options, "test incumbent", CancellationToken.None);
        ActiveModelFile.Activate(models, new ActiveModelEntry(incumbent.Key, incumbent.Sha256, TimeProvider.System.GetUtcNow(), "test"));

        await using var op = await OperatorHarness.StartAsync(settings, retrainEvery: 5);
        var challenger = await op.JudgedChallengerAsync(CycleTimeout, "the evaluation");
        Assert.AreEqual(ChallengerStatus.Rejected, challenger.Status, challenger.Note);
        Assert.AreEqual(incumbent.Sha256, challenger.Sha256, "the same configuration on the same data trains the same model");
        var evaluation = JsonSerializer.Deserialize<Evaluation>(challenger.EvaluationJson!)!;
        Assert.AreEqual(evaluation.ChampionSharpe, evaluation.ChallengerSharpe);
        Assert.IsFalse(evaluation.Promote);
        Assert.IsFalse(evaluation.DifferenceCiLow > 0, evaluation.Reason);
        Assert.AreEqual(incumbent.Key, ActiveModelFile.Read(models)!.Active.Key, "the champion stays active");
        Assert.AreEqual(1, ActiveModelFile.Read(models)!.History.Count);
        Assert.AreEqual(1, (await op.Ledger.AllAsync(CancellationToken.None)).Count, "the trial is in the ledger");
        Assert.IsTrue(File.Exists(evaluation.Report), "the HTML report is written");
        Assert.IsFalse((await op.Runs.ListAsync(100, "promote", CancellationToken.None)).Any(), "no promotion was started");
    }

    [TestMethod]
    public async Task Cycle_WeakChampionWithoutService_WinnerActivatedInModelsDirectory()
    {
        using var folder = new TempFolder();
        var settings = WeakChampionSettings(folder);
        await using var op = await OperatorHarness.StartAsync(settings, retrainEvery: 5);
        await op.WaitAsync(() => op.FinishedAsync("promote"), CycleTimeout, "the promote run");
        var challenger = (await op.Challengers.ListAsync(CancellationToken.None)).Single();
        Assert.AreEqual(ChallengerStatus.Promoted, challenger.Status, challenger.Note);
        var record = ActiveModelFile.Read(settings["Operator:ModelsDirectory"]!)!;
        Assert.AreEqual(challenger.Key, record.Active.Key);
        Assert.AreEqual("operator", record.Active.By);
        Assert.AreEqual(Sha256Of(challenger.Directory), record.Active.Sha256);
        Assert.AreEqual("weak/1", record.History[^2].Key, "the champion it replaced stays in the history for a rollback");
    }

    // The weak champion "weak/1" active in the models directory (no service), on the market of seed MarketSeed.
    private static Dictionary<string, string?> WeakChampionSettings(TempFolder folder)
    {
        var settings = OperatorHarness.QuickSettings(folder);
        settings["Operator:Data:Seed"] = MarketSeed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var models = settings["Operator:ModelsDirectory"]!;
        var worst = WeakChampion.WorstAsset(SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = MarketSeed }), 180, out var assets);
        var directory = WeakChampion.Write(models, "weak", "1", assets, worst);
        ActiveModelFile.Activate(models, new ActiveModelEntry("weak/1", Sha256Of(directory), TimeProvider.System.GetUtcNow(), "test"));
        return settings;
    }

    private static string Sha256Of(string directory) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, "model.onnx"))));
}
