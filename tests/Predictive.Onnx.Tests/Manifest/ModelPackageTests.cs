using Predictive.Onnx.Contract;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Tests.Support;

namespace Predictive.Onnx.Tests.Manifest;

[TestClass]
public sealed class ModelPackageTests
{
    private string _directory = string.Empty;

    [TestInitialize]
    public void CreateDirectory() =>
        _directory = Directory.CreateTempSubdirectory("predictive-model-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void Open_UntouchedPackage_LoadsAndConforms()
    {
        var written = ModelPackage.Write(_directory, SomeModels.Allocator().WithContractMetadata().Build(), "test-allocator", "1", ["BTC", "ETH"]);

        var package = ModelPackage.Open(_directory);
        using var session = package.CreateSession();

        Assert.AreEqual(written, package.Manifest with { Assets = written.Assets });
        CollectionAssert.AreEqual(new[] { "BTC", "ETH" }, package.Manifest.Assets!.ToList());
        Assert.AreEqual(64, package.Manifest.Sha256.Length);
        ModelContract.Validate(session);
    }

    [TestMethod]
    public void Open_ModelFileChangedAfterExport_RefusesWithBothHashes()
    {
        var written = ModelPackage.Write(_directory, SomeModels.Allocator().WithContractMetadata().Build(), "test-allocator", "1");
        var path = Path.Combine(_directory, ModelManifest.DefaultModelFile);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var error = Assert.ThrowsExactly<ModelIntegrityException>(() => ModelPackage.Open(_directory));

        Assert.Contains($"the manifest pins {written.Sha256}", error.Message);
    }

    [TestMethod]
    public void Open_NoManifest_Refuses()
    {
        SomeModels.Allocator().Build().Save(Path.Combine(_directory, ModelManifest.DefaultModelFile));

        var error = Assert.ThrowsExactly<ModelIntegrityException>(() => ModelPackage.Open(_directory));

        Assert.Contains("model.json is missing", error.Message);
    }

    [TestMethod]
    public void Open_ManifestPointsOutsideDirectory_Refuses()
    {
        File.WriteAllText(Path.Combine(_directory, ModelManifest.FileName), """{"name":"x","version":"1","model_file":"../model.onnx","sha256":"00"}""");

        var error = Assert.ThrowsExactly<ModelIntegrityException>(() => ModelPackage.Open(_directory));

        Assert.Contains("must be a file name beside the manifest", error.Message);
    }
}
