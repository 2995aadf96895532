using System.Text.Json.Nodes;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Lifecycle;

/// <summary>The scheduled retrain with <c>Retrain:EnsembleSeeds</c> and <c>Retrain:Cost = pool</c>: one ONNX graph averaging the seeds, with its model card.</summary>
[TestClass]
[TestCategory("Slow")]
public sealed class EnsembleRetrainTests
{
    [TestMethod]
    public async Task Retrain_EnsembleSeeds_PublishesOneGraphEnsembleWithCardThatLoadsAndIsEvaluated()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        settings["Operator:Retrain:EnsembleSeeds"] = "3,8,13";
        settings["Operator:Retrain:Cost"] = "pool";
        settings["Operator:Retrain:TurnoverPenalty"] = "1";
        await using var op = await OperatorHarness.StartAsync(settings, retrainEvery: 5);
        var challenger = await op.JudgedChallengerAsync(TimeSpan.FromSeconds(240), "the ensemble challenger's evaluation");

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(challenger.Directory, ModelManifest.FileName)))!;
        CollectionAssert.AreEqual(new[] { 3, 8, 13 }, manifest["ensemble"]!["seeds"]!.AsArray().Select(x => (int)x!).ToArray());
        Assert.AreEqual("pool", (string?)manifest["training_cost"]);
        Assert.AreEqual(1.0, (double)manifest["turnover_penalty"]!);
        var card = manifest["card"]!;
        CollectionAssert.AreEqual(new[] { 3, 8, 13 }, card["seeds"]!["members"]!.AsArray().Select(m => (int)m!["seed"]!).ToArray());
        Assert.AreEqual("pool", (string?)card["configuration"]!["training_cost"]);
        Assert.AreEqual(1, (int)card["search"]!["trials_in_ledger"]!, "a retrain is no search: one trial in its card");

        // The card is pinned: the package opens; it loads through every registry check (ONNX Runtime session,
        // contract, smoke) as one graph of three members, with the recorded SHA-256.
        Assert.AreEqual(challenger.Sha256, ModelPackage.Open(challenger.Directory).Manifest.Sha256);
        using var registry = new ModelRegistry(settings["Operator:ModelsDirectory"]!, TimeProvider.System);
        var loaded = registry.Reload().Snapshot.Loaded[challenger.Key];
        Assert.AreEqual(challenger.Sha256, loaded.Sha256);
        Assert.AreEqual("3", loaded.Metadata["predictive.ensemble_members"]);
        var weights = new float[2 * 3];
        var features = new float[2 * 3 * loaded.FeatureCount];
        loaded.Run(2, 3, features, new float[2 * 3], weights);
        Assert.AreEqual(1.0, weights[..3].Sum(), 1e-4, "the served ensemble's weights sum to 1");

        // It was judged, and its evaluation went into the one trial ledger.
        Assert.IsNotNull(challenger.EvaluationJson, challenger.Note);
        var trials = await op.Ledger.AllAsync(CancellationToken.None);
        Assert.IsTrue(trials.Any(t => t.TrialId == challenger.Key && t.Source == "operator"), $"the ledger holds the challenger's trial; it has {string.Join(", ", trials.Select(t => t.TrialId))}");
    }
}
