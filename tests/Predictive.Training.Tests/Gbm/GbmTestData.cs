using Microsoft.ML.OnnxRuntime;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

/// <summary>Panels, small settings and the two prediction paths (ML.NET + C# rule, ONNX Runtime) for the GBM tests.</summary>
internal static class GbmTestData
{
    /// <summary>Few, small trees: enough structure to exercise the export, quick on two cores.</summary>
    public static GbmOptions FastOptions { get; } = new() { Seed = 7, Trees = 25, Leaves = 8, MinExamplesPerLeaf = 20, LearningRate = 0.1 };

    public static PricePanel Synthetic(int bars = 500, int assets = 5, int seed = 3) =>
        SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = seed, Bars = bars, AssetCount = assets });

    /// <summary>The reference path: ML.NET's own scores for every (row, asset), then <see cref="GbmWeightRule"/>.</summary>
    public static float[] MlNetWeights(GbmModel model, float[] features, int batch, int assets)
    {
        var f = model.FeatureCount;
        var clean = new float[features.Length];
        GbmWeightRule.Clean(features, clean);
        var mu = model.Returns.PredictWithMlNet(clean);
        var sigma = model.Volatility.PredictWithMlNet(clean);
        var weights = new float[batch * assets];
        var available = new bool[assets];
        for (var b = 0; b < batch; b++)
        {
            GbmWeightRule.Availability(features.AsSpan(b * assets * f, assets * f), f, available);
            GbmWeightRule.Apply(
                mu.AsSpan(b * assets, assets),
                sigma.AsSpan(b * assets, assets),
                available,
                model.Options.Temperature,
                model.Options.VolatilityFloor,
                weights.AsSpan(b * assets, assets));
        }

        return weights;
    }

    /// <summary>Runs the exported graph in ONNX Runtime; prev_weights are random, since the rule must ignore them.</summary>
    public static float[] OnnxWeights(InferenceSession session, float[] features, int batch, int assets, int featureCount, int seed)
    {
        var random = new Random(seed);
        var prev = Enumerable.Range(0, batch * assets).Select(_ => (float)random.NextDouble()).ToArray();
        using var x = OrtValue.CreateTensorValueFromMemory(features, [batch, assets, featureCount]);
        using var p = OrtValue.CreateTensorValueFromMemory(prev, [batch, assets]);
        using var runOptions = new RunOptions();
        var inputs = new Dictionary<string, OrtValue>(StringComparer.Ordinal) { ["features"] = x, ["prev_weights"] = p };
        using var results = session.Run(runOptions, inputs, ["weights"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static double MaxAbsDifference(float[] expected, float[] actual)
    {
        Assert.HasCount(expected.Length, actual);
        double max = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs(expected[i] - actual[i]));
        }

        return max;
    }
}
