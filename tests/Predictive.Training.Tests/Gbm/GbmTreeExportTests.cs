using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Graph;
using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

[TestClass]
public sealed class GbmTreeExportTests
{
    // Tree 0: x1 ≤ 0.5 → leaf 0 (1.0); else x0 ≤ -1 → leaf 1 (-2.0) else leaf 2 (0.25). Tree 1: one leaf (0.125). Bias 0.5.
    private static readonly GbmTreeEnsemble HandEnsemble = new(
        [
            new GbmTree([~0, ~1], [1, ~2], [1, 0], [0.5f, -1f], [1.0, -2.0, 0.25]),
            new GbmTree([], [], [], [], [0.125]),
        ],
        bias: 0.5);

    [TestMethod]
    public void Evaluate_HandTree_FollowsLessOrEqualLeft()
    {
        Assert.AreEqual(0.5 + 1.0 + 0.125, HandEnsemble.Evaluate([9f, 0.5f]), "equal to the threshold goes left");
        Assert.AreEqual(0.5 - 2.0 + 0.125, HandEnsemble.Evaluate([-1f, 0.6f]));
        Assert.AreEqual(0.5 + 0.25 + 0.125, HandEnsemble.Evaluate([-0.99f, 0.6f]));
    }

    [TestMethod]
    public void TreeEnsembleRegressor_HandEnsemble_OnnxRuntimeMatchesEvaluate()
    {
        float[] x = [9f, 0.5f, -1f, 0.6f, -0.99f, 0.6f, 0f, -3f, -1f, 0.5000001f];
        var model = new OnnxModelBuilder("hand-trees")
            .ImportOpset(OnnxDomains.Ml, OnnxDomains.MlOpset)
            .AddInput("X", OnnxDataType.Float, "N", 2)
            .AddNode(TreeEnsembleOnnx.OpType, ["X"], ["Y"], TreeEnsembleOnnx.Attributes(HandEnsemble), OnnxDomains.Ml)
            .AddOutput("Y", OnnxDataType.Float, "N", 1)
            .Build();

        using var session = new InferenceSession(model.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(x, [5, 2]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, new Dictionary<string, OrtValue>(StringComparer.Ordinal) { ["X"] = input }, ["Y"]);
        var y = results[0].GetTensorDataAsSpan<float>().ToArray();

        for (var row = 0; row < 5; row++)
        {
            Assert.AreEqual((float)HandEnsemble.Evaluate(x.AsSpan(row * 2, 2)), y[row], 1e-6f, $"row {row}");
        }
    }

    [TestMethod]
    public void Constructor_ChildOutsideTree_Throws()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => new GbmTree([5], [~1], [0], [0f], [1.0, 2.0]));

        Assert.Contains("child 5", e.Message);
    }

    [TestMethod]
    public void Train_SyntheticRows_ExtractedTreesReproduceMlNetScores()
    {
        var random = new Random(5);
        const int rows = 2000;
        const int f = 4;
        var x = Enumerable.Range(0, rows * f).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => (float)(Math.Sin(x[i * f]) + (x[(i * f) + 1] > 0.3 ? 1 : 0) + (0.1 * random.NextDouble()))).ToArray();

        var regressor = GbmRegressor.Train(x, y, f, GbmTestData.FastOptions, seed: 1);
        var reference = regressor.PredictWithMlNet(x);

        Assert.HasCount(GbmTestData.FastOptions.Trees, regressor.Ensemble.Trees);
        for (var i = 0; i < rows; i++)
        {
            Assert.AreEqual(reference[i], regressor.Predict(x.AsSpan(i * f, f)), 1e-5f, $"row {i}");
        }
    }

    [TestMethod]
    public void Train_TooFewRows_ThrowsNamingTheCount()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => GbmRegressor.Train(new float[10], new float[5], 2, GbmTestData.FastOptions, seed: 1));

        Assert.Contains("5 training rows", e.Message);
    }

    [TestMethod]
    public void Validate_ZeroTemperature_ThrowsNamingTheSetting()
    {
        var e = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => (GbmTestData.FastOptions with { Temperature = 0 }).Validate());

        Assert.Contains("Temperature", e.Message);
    }
}
