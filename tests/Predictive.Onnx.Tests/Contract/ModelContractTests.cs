using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Onnx.Tests.Support;

namespace Predictive.Onnx.Tests.Contract;

[TestClass]
public sealed class ModelContractTests
{
    [TestMethod]
    public void Validate_ConformingAllocator_Passes()
    {
        using var session = new InferenceSession(SomeModels.Allocator().WithContractMetadata().Build().ToByteArray());

        ModelContract.Validate(session);

        Assert.IsEmpty(ModelContract.FindProblems(session));
    }

    [TestMethod]
    public void Validate_NoMetadata_NamesEveryMissingKey()
    {
        using var session = new InferenceSession(SomeModels.Allocator().Build().ToByteArray());

        var error = Assert.ThrowsExactly<ModelContractException>(() => ModelContract.Validate(session));

        foreach (var key in ModelMetadataKeys.Required)
        {
            Assert.Contains($"metadata '{key}' is missing", error.Message);
        }
    }

    [TestMethod]
    public void FindProblems_MissingInputWrongTypeWrongRank_NamesEach()
    {
        // features has rank 2, prev_weights is absent, an int64 input sneaks in, weights is int64.
        var model = new OnnxModelBuilder("broken")
            .AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", "assets")
            .AddInput("asset_ids", OnnxDataType.Int64, "batch", "assets")
            .AddNode("Identity", ["asset_ids"], [ModelContract.WeightsOutput])
            .AddNode("Identity", [ModelContract.FeaturesInput], ["unused"])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Int64, "batch", "assets")
            .AddOutput("unused", OnnxDataType.Float, "batch", "assets")
            .WithContractMetadata()
            .Build();
        using var session = new InferenceSession(model.ToByteArray());

        var problems = ModelContract.FindProblems(session);

        CollectionAssert.AreEquivalent(
            new[]
            {
                "input 'features' has rank 2; expected 3",
                "input 'prev_weights' is missing",
                "output 'weights' has element type Int64; expected float32",
                "unexpected input 'asset_ids': only 'features' and 'prev_weights' are fed",
            },
            problems.ToList());
    }

    [TestMethod]
    public void FindProblems_FixedAssetAxesDisagree_IsReported()
    {
        var model = new OnnxModelBuilder("mismatch")
            .AddInput(ModelContract.FeaturesInput, OnnxDataType.Float, "batch", 4, 3)
            .AddInput(ModelContract.PreviousWeightsInput, OnnxDataType.Float, "batch", 5)
            .AddNode("Softmax", [ModelContract.PreviousWeightsInput], [ModelContract.WeightsOutput], [OnnxAttribute.Int("axis", 1)])
            .AddOutput(ModelContract.WeightsOutput, OnnxDataType.Float, "batch", 5)
            .WithContractMetadata()
            .Build();
        using var session = new InferenceSession(model.ToByteArray());

        var problems = ModelContract.FindProblems(session);

        Assert.HasCount(1, problems);
        Assert.Contains("the assets axis disagrees: features=4, prev_weights=5, weights=5", problems[0]);
    }

    [TestMethod]
    public void FindWeightProblems_NegativeWeightAndBadSum_NamesRows()
    {
        var weights = new float[] { 0.5f, 0.5f, 0f, -0.1f, 0.6f, 0.6f, 0.2f, 0.2f, 0.2f };

        var problems = ModelContract.FindWeightProblems(weights, assets: 3);

        Assert.HasCount(3, problems);
        Assert.StartsWith("row 1 asset 0 has weight -0.1", problems[0]);
        Assert.StartsWith("row 1 sums to 1.1", problems[1]);
        Assert.StartsWith("row 2 sums to 0.6", problems[2]);
    }

    [TestMethod]
    public void ValidateWeights_RowsOnSimplex_Passes()
    {
        ModelContract.ValidateWeights([0.25f, 0.75f, 1f, 0f], assets: 2);

        Assert.IsEmpty(ModelContract.FindWeightProblems([0.25f, 0.75f, 1f, 0f], assets: 2));
    }
}
