using Predictive.Onnx.Inference;
using Predictive.Onnx.Registry;
using Predictive.Service.Tests.Support;

namespace Predictive.Service.Tests.Registry;

[TestClass]
public sealed class ModelRegistryTests
{
    [TestMethod]
    public void Reload_ValidModels_LoadsAllAndPrefersDefaultName()
    {
        using var folder = new ModelsFolder().Add("alpha", "1", TestModels.Linear()).Add("default", "1", TestModels.Linear()).Add("default", "2", TestModels.Linear(2));
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);

        var change = registry.Reload();

        Assert.HasCount(3, change.Snapshot.Loaded);
        Assert.IsEmpty(change.Refused);
        Assert.AreEqual("default/2", change.Snapshot.DefaultKey);
    }

    [TestMethod]
    public void Reload_ConfiguredDefault_WinsOverDefaultName()
    {
        using var folder = new ModelsFolder().Add("alpha", "1", TestModels.Linear()).Add("default", "1", TestModels.Linear());
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System, "alpha/1");

        Assert.AreEqual("alpha/1", registry.Reload().Snapshot.DefaultKey);
    }

    [TestMethod]
    [DataRow("garbage", RefusalStages.Opset, "not an ONNX model")]
    [DataRow("tampered", RefusalStages.Integrity, "SHA-256")]
    [DataRow("wrong-input", RefusalStages.Contract, "input 'features' is missing")]
    [DataRow("negative", RefusalStages.Smoke, "must be finite and ≥ 0")]
    [DataRow("feature-count", RefusalStages.FeatureSpec, "has 4 features but the feature spec lists 3")]
    [DataRow("opset", RefusalStages.Opset, "opset 99 is unsupported")]
    public void Reload_MalformedModel_IsRefusedWithReason(string kind, string stage, string reason)
    {
        using var folder = new ModelsFolder().Add("good", "1", TestModels.Linear());
        _ = kind switch
        {
            "garbage" => folder.AddGarbage("bad", "1"),
            "tampered" => folder.AddTampered("bad", "1"),
            "wrong-input" => folder.Add("bad", "1", TestModels.Linear(featuresInput: "x")),
            "negative" => folder.Add("bad", "1", TestModels.NegativeWeights()),
            "feature-count" => folder.Add("bad", "1", TestModels.Linear(featureCount: 4)),
            _ => folder.Add("bad", "1", TestModels.FutureOpset()),
        };
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);

        var snapshot = registry.Reload().Snapshot;

        Assert.AreEqual("good/1", snapshot.DefaultKey);
        Assert.IsFalse(snapshot.Loaded.ContainsKey("bad/1"));
        var refusal = snapshot.Refused.Single();
        Assert.AreEqual("bad/1", refusal.Key);
        Assert.AreEqual(stage, refusal.Stage);
        Assert.Contains(reason, refusal.Reason);
    }

    [TestMethod]
    public void Reload_ManifestNamesOtherModel_IsRefused()
    {
        using var folder = new ModelsFolder();
        Predictive.Onnx.Manifest.ModelPackage.Write(folder.Dir("alpha", "1"), TestModels.Linear(), "beta", "9");
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);

        var refusal = registry.Reload().Snapshot.Refused.Single();

        Assert.AreEqual(RefusalStages.Integrity, refusal.Stage);
        Assert.Contains("'beta/9'", refusal.Reason);
    }

    [TestMethod]
    public void Reload_FileCorruptedAfterLoad_KeepsWorkingModel()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);
        var before = registry.Reload().Snapshot.Loaded["default/1"];

        folder.Tamper("default", "1");
        var after = registry.Reload().Snapshot;

        Assert.AreSame(before, after.Loaded["default/1"]);
        Assert.AreEqual("default/1", after.DefaultKey);
        Assert.AreEqual(RefusalStages.Integrity, after.Refused.Single().Stage);
        Assert.IsFalse(before.IsRetired);
    }

    [TestMethod]
    public void Reload_ModelRemovedFromDisk_RetiresItButLeaseKeepsSessionUsable()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("old", "1", TestModels.Linear(3));
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);
        registry.Reload();
        using var lease = registry.Acquire(null, "old/1")!;

        Directory.Delete(Path.Combine(folder.Path, "old"), recursive: true);
        var change = registry.Reload();

        CollectionAssert.AreEqual(new[] { "old/1" }, change.Retired.ToArray());
        Assert.IsTrue(lease.Model.IsRetired);
        Assert.IsNull(registry.Acquire(null, "old/1"));
        var weights = BatchAllocator.Allocate(lease.Model, [new PortfolioInput(new float[6], new float[] { 0.5f, 0.5f })]);
        Assert.AreEqual(0.5, weights[0][0], 1e-6);
    }

    [TestMethod]
    public void Activate_UnknownModel_ThrowsNamingLoadedOnes()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear());
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);
        registry.Reload();

        var e = Assert.ThrowsExactly<ModelNotLoadedException>(() => registry.Activate("nope/1"));

        Assert.Contains("default/1", e.Message);
    }

    [TestMethod]
    public void Activate_ForPortfolio_ChangesOnlyThatPortfolio()
    {
        using var folder = new ModelsFolder().Add("default", "1", TestModels.Linear()).Add("other", "1", TestModels.Linear(2));
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);
        registry.Reload();

        var snapshot = registry.Activate("other/1", "p7");

        Assert.AreEqual("other/1", snapshot.Resolve("p7", null)!.Key);
        Assert.AreEqual("default/1", snapshot.Resolve("p8", null)!.Key);
        Assert.AreEqual("default/1", snapshot.Resolve("p7", "default/1")!.Key);
    }

    [TestMethod]
    public void Reload_MissingDirectory_IsEmptyNotAnError()
    {
        using var registry = new ModelRegistry(Path.Combine(Path.GetTempPath(), "no-such-models-" + Guid.NewGuid().ToString("N")), TimeProvider.System);

        var snapshot = registry.Reload().Snapshot;

        Assert.IsEmpty(snapshot.Loaded);
        Assert.IsNull(snapshot.DefaultKey);
        Assert.IsNull(registry.Acquire("p1", null));
    }
}
