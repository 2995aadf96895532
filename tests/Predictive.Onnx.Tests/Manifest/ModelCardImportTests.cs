using System.Text.Json.Nodes;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;
using Predictive.Tests.Shared;

namespace Predictive.Onnx.Tests.Manifest;

[TestClass]
public sealed class ModelCardImportTests
{
    [TestMethod]
    public void Import_TrainedModelFromItsFolder_CarriesTheCardAndOpens()
    {
        var models = Directory.CreateTempSubdirectory("predictive-card-import-").FullName;
        try
        {
            var source = RepositoryPaths.Combine("models", "default", "1");

            ModelImport.Import(Path.Combine(source, ModelManifest.DefaultModelFile), models, "m", "1");

            ModelPackage.Open(Path.Combine(models, "m", "1"));
            var card = JsonNode.Parse(File.ReadAllText(Path.Combine(models, "m", "1", ModelManifest.FileName)))!["card"]!.AsObject();
            var original = JsonNode.Parse(File.ReadAllText(Path.Combine(source, ModelManifest.FileName)))!["card"]!.AsObject();
            Assert.AreEqual(ModelCardSeal.Hash(original), ModelCardSeal.Hash(card));
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [TestMethod]
    public void Import_TrainedModelWithoutItsCard_RefusedNamingTheCard()
    {
        var models = Directory.CreateTempSubdirectory("predictive-card-import-").FullName;
        try
        {
            var alone = Path.Combine(models, "alone.onnx");
            File.Copy(RepositoryPaths.Combine("models", "default", "1", ModelManifest.DefaultModelFile), alone);

            var e = Assert.ThrowsExactly<InvalidDataException>(() => ModelImport.Import(alone, models, "m", "1"));

            Assert.Contains("pins a model card", e.Message);
            Assert.IsFalse(Directory.Exists(Path.Combine(models, "m", "1")), "nothing half-imported");
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
