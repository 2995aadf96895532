using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Storage;

[TestClass]
public sealed class ModelVersionWriterTests
{
    private static readonly string[] Assets = ["A", "B", "C"];

    [TestMethod]
    public void Publish_WriterThrows_NothingPublishedAndNoStagingLeft()
    {
        using var folder = new TempFolder();
        Assert.ThrowsExactly<InvalidOperationException>(() => ModelVersionWriter.Publish(folder.Path, "m", "1", staging =>
        {
            File.WriteAllText(Path.Combine(staging, ModelManifest.DefaultModelFile), "half");
            throw new InvalidOperationException("killed");
        }));
        Assert.IsFalse(Directory.Exists(ModelVersionWriter.FinalDirectory(folder.Path, "m", "1")));
        Assert.IsFalse(Directory.Exists(ModelVersionWriter.StagingDirectory(folder.Path, "m", "1")));
    }

    [TestMethod]
    public void Publish_ExistingVersion_WriterNotCalledAndSameManifest()
    {
        using var folder = new TempFolder();
        var (first, created) = ModelVersionWriter.Publish(folder.Path, "m", "1", staging => WriteWeak(staging, "m", "1"));
        var called = false;
        var (second, createdAgain) = ModelVersionWriter.Publish(folder.Path, "m", "1", _ => called = true);
        Assert.IsTrue(created);
        Assert.IsFalse(createdAgain);
        Assert.IsFalse(called);
        Assert.AreEqual(first.Sha256, second.Sha256);
    }

    [TestMethod]
    public void Reload_CompleteModelInStagingFolder_RegistryNeverSeesIt()
    {
        using var folder = new TempFolder();
        var staging = ModelVersionWriter.StagingDirectory(folder.Path, "m", "1");
        Directory.CreateDirectory(staging);
        WriteWeak(staging, "m", "1");
        using var registry = new ModelRegistry(folder.Path, TimeProvider.System);
        var snapshot = registry.Reload().Snapshot;
        Assert.AreEqual(0, snapshot.Loaded.Count);
        Assert.AreEqual(0, snapshot.Refused.Count);
    }

    [TestMethod]
    public void Publish_StagedNameDiffersFromVersion_RefusedAndNothingPublished()
    {
        using var folder = new TempFolder();
        var e = Assert.ThrowsExactly<ArgumentException>(() => ModelVersionWriter.Publish(folder.Path, "m", "1", staging => WriteWeak(staging, "m", "2")));
        StringAssert.Contains(e.Message, "m/2");
        Assert.IsFalse(Directory.Exists(ModelVersionWriter.FinalDirectory(folder.Path, "m", "1")));
    }

    // A complete, valid package written straight into a folder (name/version as the manifest says).
    private static void WriteWeak(string directory, string name, string version)
    {
        var parent = Path.Combine(Path.GetTempPath(), "predictive-weak-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = WeakChampion.Write(parent, name, version, Assets, 0);
            foreach (var file in Directory.GetFiles(written))
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)), overwrite: true);
            }
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
