using Predictive.Onnx.Graph;
using Predictive.Onnx.Tests.Support;

namespace Predictive.Onnx.Tests.Graph;

[TestClass]
public sealed class OnnxModelBuilderTests
{
    [TestMethod]
    public void Build_NodeReadsUndefinedValue_NamesNodeAndValue()
    {
        var builder = new OnnxModelBuilder("g")
            .AddInput("x", OnnxDataType.Float, 2)
            .AddNode("Add", ["x", "nowhere"], ["y"], name: "adder")
            .AddOutput("y", OnnxDataType.Float, 2);

        var error = Assert.ThrowsExactly<OnnxGraphException>(() => builder.Build());

        Assert.Contains("node 'adder' (Add) reads 'nowhere' before anything defines it", error.Message);
    }

    [TestMethod]
    public void Build_MlNodeWithoutOpsetImport_NamesDomain()
    {
        var builder = new OnnxModelBuilder("g")
            .AddInput("x", OnnxDataType.Float, 1, 2)
            .AddNode("TreeEnsembleRegressor", ["x"], ["y"], domain: OnnxDomains.Ml)
            .AddOutput("y", OnnxDataType.Float, 1, 1);

        var error = Assert.ThrowsExactly<OnnxGraphException>(() => builder.Build());

        Assert.Contains("uses domain 'ai.onnx.ml', which is not imported", error.Message);
    }

    [TestMethod]
    public void Build_OutputNobodyProduces_IsReported()
    {
        var builder = new OnnxModelBuilder("g")
            .AddInput("x", OnnxDataType.Float, 2)
            .AddNode("Relu", ["x"], ["y"])
            .AddOutput("z", OnnxDataType.Float, 2);

        var error = Assert.ThrowsExactly<OnnxGraphException>(() => builder.Build());

        CollectionAssert.Contains(error.Problems.ToList(), "output 'z' is produced by no node");
    }

    [TestMethod]
    public void AddMetadata_DuplicateKey_Throws()
    {
        var builder = new OnnxModelBuilder("g").AddMetadata("k", "1");

        var error = Assert.ThrowsExactly<ArgumentException>(() => builder.AddMetadata("k", "2"));

        Assert.Contains("'k' is already set", error.Message);
    }

    [TestMethod]
    public void Float_ValueCountDisagreesWithShape_NamesTensor()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => OnnxTensor.Float("w", [2, 3], [1f, 2f]));

        Assert.Contains("tensor 'w' has 2 values; shape [2, 3] needs 6", error.Message);
    }

    [TestMethod]
    public void ToByteArray_SameModelTwice_IsDeterministic()
    {
        var first = SomeModels.Allocator().WithContractMetadata().Build().ToByteArray();
        var second = SomeModels.Allocator().WithContractMetadata().Build().ToByteArray();

        CollectionAssert.AreEqual(first, second);
    }

    [TestMethod]
    public void Build_Defaults_ImportDefaultOpsetAndIrVersion()
    {
        var model = SomeModels.Allocator().Build();

        Assert.AreEqual(OnnxDomains.IrVersion, model.IrVersion);
        Assert.AreEqual(OnnxDomains.DefaultOpset, model.OpsetImports[OnnxDomains.Default]);
    }
}
