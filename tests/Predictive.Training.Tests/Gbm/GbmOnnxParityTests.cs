using Microsoft.ML.OnnxRuntime;
using Predictive.Core.MarketData;
using Predictive.Onnx.Contract;
using Predictive.Tests.Shared;
using Predictive.Training.Data;
using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

/// <summary>
/// The exported graph, run by ONNX Runtime, against the reference: ML.NET's own scores followed by the C# weight rule.
/// </summary>
[TestClass]
public sealed class GbmOnnxParityTests
{
    private const double Tolerance = 1e-5;
    [TestMethod]
    public void Run_RandomInputsWithNaNsAndExactThresholds_MatchesMlNetAndRule()
    {
        var panel = GbmTestData.Synthetic(bars: 600, assets: 5);
        var dataset = TrainingDataset.Create(panel);
        var model = GbmTrainer.Train(panel, dataset, [], GbmTestData.FastOptions with { Temperature = 0.3 }).Model;
        const int batch = 1000;
        var features = RandomInputs(model, dataset, batch, seed: 21);

        using var session = new InferenceSession(GbmOnnxExporter.Build(model, new Dictionary<string, double>()).ToByteArray());
        var onnx = GbmTestData.OnnxWeights(session, features, batch, dataset.AssetCount, dataset.FeatureCount, seed: 4);
        var reference = GbmTestData.MlNetWeights(model, features, batch, dataset.AssetCount);

        var error = GbmTestData.MaxAbsDifference(reference, onnx);
        Console.WriteLine($"random parity: max |ONNX − ML.NET rule| = {error:E3} over {batch} × {dataset.AssetCount} weights");
        Assert.IsLessThanOrEqualTo(Tolerance, error);
        ModelContract.ValidateWeights(onnx, dataset.AssetCount);
        AssertCSharpPathAgrees(model, features, batch, dataset.AssetCount, reference);
    }

    [TestMethod]
    public void Run_RealCryptoDaily_MatchesMlNetAndRuleOn1000Bars()
    {
        var path = Prerequisites.SharedData("crypto-daily.csv");

        var panel = MarketDataFile.Read(path);
        var dataset = TrainingDataset.Create(panel);
        var model = GbmTrainer.Train(panel, dataset, [], GbmTestData.FastOptions with { Trees = 60, Leaves = 16 }).Model;
        const int batch = 1000;
        var n = dataset.AssetCount;
        var f = dataset.FeatureCount;
        var features = new float[batch * n * f];
        var first = dataset.SampleCount - batch;
        for (var b = 0; b < batch; b++)
        {
            GbmTrainer.ServedFeatures(dataset, first + b, features.AsSpan(b * n * f, n * f));
        }

        using var session = new InferenceSession(GbmOnnxExporter.Build(model, new Dictionary<string, double>()).ToByteArray());
        var onnx = GbmTestData.OnnxWeights(session, features, batch, n, f, seed: 5);
        var reference = GbmTestData.MlNetWeights(model, features, batch, n);

        var error = GbmTestData.MaxAbsDifference(reference, onnx);
        Console.WriteLine($"real parity: max |ONNX − ML.NET rule| = {error:E3} over {batch} bars × {n} assets");
        Assert.IsLessThanOrEqualTo(Tolerance, error);
        ModelContract.ValidateWeights(onnx, n);
        Assert.IsTrue(features.Any(float.IsNaN), "the real window should include unlisted assets (NaN features)");
    }

    [TestMethod]
    public void CheckModel_ExportedGraph_PassesOfficialChecker()
    {
        OnnxChecker.RequireModule();

        var panel = GbmTestData.Synthetic(bars: 400, assets: 3);
        var model = GbmTrainer.Train(panel, TrainingDataset.Create(panel), [], GbmTestData.FastOptions).Model;
        var path = Path.Combine(Directory.CreateTempSubdirectory("predictive-gbm-check-").FullName, "model.onnx");
        try
        {
            GbmOnnxExporter.Build(model, new Dictionary<string, double> { ["sharpe"] = 1.0 }).Save(path);

            var (exitCode, output) = OnnxChecker.Check(path);

            Assert.AreEqual(0, exitCode, output);
            Assert.Contains("ok", output);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    /// <summary>
    /// Inputs near the training distribution (real rows, scaled at random), with 3 % NaN or ±inf entries, some rows
    /// entirely unavailable, and 10 % of values set exactly to a split threshold of that feature (≤ must go left).
    /// </summary>
    private static float[] RandomInputs(GbmModel model, TrainingDataset dataset, int batch, int seed)
    {
        var random = new Random(seed);
        var n = dataset.AssetCount;
        var f = dataset.FeatureCount;
        var thresholds = Enumerable.Range(0, f).Select(_ => new List<float>()).ToArray();
        foreach (var tree in model.Returns.Ensemble.Trees.Concat(model.Volatility.Ensemble.Trees))
        {
            for (var i = 0; i < tree.SplitCount; i++)
            {
                thresholds[tree.Feature[i]].Add(tree.Threshold[i]);
            }
        }

        var x = new float[batch * n * f];
        for (var b = 0; b < batch; b++)
        {
            var sample = dataset.FeatureRow(random.Next(dataset.SampleCount));
            for (var j = 0; j < n * f; j++)
            {
                var u = random.NextDouble();
                var feature = j % f;
                x[(b * n * f) + j] = u switch
                {
                    < 0.01 => float.NaN,
                    < 0.02 => float.PositiveInfinity,
                    < 0.03 => float.NegativeInfinity,
                    < 0.13 when thresholds[feature].Count > 0 => thresholds[feature][random.Next(thresholds[feature].Count)],
                    _ => (float)(sample[j] * (0.5 + random.NextDouble())),
                };
            }

            if (b % 97 == 0)
            {
                x.AsSpan(b * n * f, n * f).Fill(float.NaN);
            }
        }

        return x;
    }

    private static void AssertCSharpPathAgrees(GbmModel model, float[] features, int batch, int assets, float[] reference)
    {
        var weights = new float[batch * assets];
        var f = model.FeatureCount;
        for (var b = 0; b < batch; b++)
        {
            model.PredictWeights(features.AsSpan(b * assets * f, assets * f), weights.AsSpan(b * assets, assets));
        }

        Assert.IsLessThanOrEqualTo(1e-6, GbmTestData.MaxAbsDifference(reference, weights));
    }
}
