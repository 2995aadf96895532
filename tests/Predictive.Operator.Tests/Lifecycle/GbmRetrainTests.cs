using System.Text.Json;
using Predictive.Onnx.Registry;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Lifecycle;

/// <summary>The scheduled retrain with <c>Retrain:Kind = gbm</c>: a real FastTree model, exported, published and judged.</summary>
[TestClass]
[TestCategory("Slow")]
public sealed class GbmRetrainTests
{
    [TestMethod]
    public async Task Retrain_GbmKind_PublishesGbmChallengerThatLoadsAndIsEvaluated()
    {
        using var folder = new TempFolder();
        var settings = OperatorHarness.QuickSettings(folder);
        settings["Operator:Retrain:Kind"] = "gbm";
        settings["Operator:Retrain:GbmTrees"] = "20";
        settings["Operator:Retrain:Seed"] = "7";
        await using var op = await OperatorHarness.StartAsync(settings, retrainEvery: 5);
        var challenger = await op.JudgedChallengerAsync(TimeSpan.FromSeconds(180), "the gbm challenger's evaluation");

        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(challenger.Directory, "model.json"))))
        {
            var root = manifest.RootElement;
            Assert.AreEqual("gbm", root.GetProperty("model_kind").GetString(), "the recorded configuration names the kind");
            Assert.AreEqual(20, root.GetProperty("trees").GetInt32());
            Assert.AreEqual(7, root.GetProperty("seed").GetInt32());
            var labelsThrough = root.GetProperty("labels_through").GetDateTimeOffset();
            Assert.AreEqual(challenger.TrainedThrough, labelsThrough, "its labels read no bar after the training data");
        }

        // It loads through every registry check (ONNX Runtime session, contract, smoke) with the recorded SHA-256.
        using var registry = new ModelRegistry(settings["Operator:ModelsDirectory"]!, TimeProvider.System);
        var snapshot = registry.Reload().Snapshot;
        Assert.AreEqual(challenger.Sha256, snapshot.Loaded[challenger.Key].Sha256);

        // It was judged (promoted or not), not rejected as unjudgeable: its ranges end before the evaluation window.
        Assert.IsFalse(challenger.Note.StartsWith("not evaluable", StringComparison.Ordinal), challenger.Note);
        Assert.IsNotNull(challenger.EvaluationJson);
        var evaluate = (await op.Runs.ListAsync(10, "evaluate", CancellationToken.None)).Single();
        Assert.AreEqual(RunOutcome.Succeeded, evaluate.Outcome, evaluate.Error);
    }
}
