using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Tests.Support;

namespace Predictive.Onnx.Tests.Graph;

/// <summary>Graphs written by the builder, executed by real ONNX Runtime.</summary>
[TestClass]
public sealed class OnnxModelBuilderRuntimeTests
{
    [TestMethod]
    public void Run_AllocatorGraph_MatchesPlainComputation()
    {
        const int batch = 2;
        const int assets = 5;
        var random = new Random(11);
        var features = Enumerable.Range(0, batch * assets * SomeModels.Features).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var prev = new float[] { 0.2f, 0.2f, 0.2f, 0.2f, 0.2f, 1f, 0f, 0f, 0f, 0f };

        using var session = new InferenceSession(SomeModels.Allocator().Build().ToByteArray());
        var weights = OrtRunner.Run(
            session,
            ModelContract.WeightsOutput,
            (ModelContract.FeaturesInput, features, [batch, assets, SomeModels.Features]),
            (ModelContract.PreviousWeightsInput, prev, [batch, assets]));

        var expected = SomeModels.AllocatorByHand(features, prev, batch, assets);
        Assert.HasCount(expected.Length, weights);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], weights[i], 1e-5f, $"weight {i}");
        }

        ModelContract.ValidateWeights(weights, assets);
    }

    [TestMethod]
    public void Run_AllocatorGraphWithOtherAssetCount_SymbolicDimsAcceptIt()
    {
        const int assets = 3;
        var features = new float[assets * SomeModels.Features];
        var prev = new float[] { 1f / 3, 1f / 3, 1f / 3 };

        using var session = new InferenceSession(SomeModels.Allocator().Build().ToByteArray());
        var weights = OrtRunner.Run(
            session,
            ModelContract.WeightsOutput,
            (ModelContract.FeaturesInput, features, [1, assets, SomeModels.Features]),
            (ModelContract.PreviousWeightsInput, prev, [1, assets]));

        // Identical inputs per asset: softmax must split evenly.
        CollectionAssert.AreEqual(new[] { 1f / 3, 1f / 3, 1f / 3 }, weights, new ToleranceComparer(1e-6f));
    }

    [TestMethod]
    public void Run_TwoStumpTreeEnsemble_MatchesHandComputation()
    {
        // Rows: (x0, x1) → tree0 + tree1 + base 0.1.
        var x = new float[] { 0.2f, 0.5f, 0.9f, 3f, 0.5f, 1.0f, 1f, -2f };
        var expected = new float[]
        {
            1.0f - 0.5f + 0.1f,   // 0.2 ≤ 0.5, 0.5 ≤ 1
            2.0f + 0.25f + 0.1f,  // 0.9 > 0.5, 3 > 1
            1.0f - 0.5f + 0.1f,   // equal to both thresholds: LEQ goes left
            2.0f - 0.5f + 0.1f,   // 1 > 0.5, -2 ≤ 1
        };

        using var session = new InferenceSession(SomeModels.TwoStumps().Build().ToByteArray());
        var y = OrtRunner.Run(session, "Y", ("X", x, [4, 2]));

        CollectionAssert.AreEqual(expected, y, new ToleranceComparer(1e-6f));
    }

    [TestMethod]
    public void ModelMetadata_MetadataProps_RoundTripThroughRuntime()
    {
        var model = SomeModels.Allocator().WithContractMetadata().AddMetadata("predictive.assets", """["BTC","ETH"]""").Build();

        using var session = new InferenceSession(model.ToByteArray());
        var metadata = session.ModelMetadata;

        Assert.AreEqual("predictive-tests", metadata.ProducerName);
        Assert.AreEqual("test-allocator", metadata.GraphName);
        Assert.AreEqual("42", metadata.CustomMetadataMap[ModelMetadataKeys.Seed]);
        Assert.AreEqual("""{"sharpe":1.25,"turnover":0.4}""", metadata.CustomMetadataMap[ModelMetadataKeys.ValidationMetrics]);
        Assert.AreEqual("""["BTC","ETH"]""", metadata.CustomMetadataMap[ModelMetadataKeys.Assets]);
        Assert.HasCount(6, metadata.CustomMetadataMap);
    }

    [TestMethod]
    public void InputMetadata_SymbolicDims_AreReportedByName()
    {
        using var session = new InferenceSession(SomeModels.Allocator().Build().ToByteArray());
        var features = session.InputMetadata[ModelContract.FeaturesInput];

        CollectionAssert.AreEqual(new[] { "batch", "assets", string.Empty }, features.SymbolicDimensions);
        CollectionAssert.AreEqual(new[] { -1, -1, SomeModels.Features }, features.Dimensions);
    }

    private sealed class ToleranceComparer(float tolerance) : System.Collections.IComparer
    {
        public int Compare(object? x, object? y) => Math.Abs((float)x! - (float)y!) <= tolerance ? 0 : 1;
    }
}
