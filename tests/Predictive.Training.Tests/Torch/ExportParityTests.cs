using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Contract;
using Predictive.Onnx.Graph;
using Predictive.Tests.Shared;
using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class ExportParityTests
{
    private const float Tolerance = 1e-5f;
    private static readonly Lazy<TrainingDataset> Real = new(() => TrainingDataset.Create(TestMarkets.CryptoDaily()));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie)]
    [DataRow(AllocatorModelKind.Mlp)]
    public void Export_RandomInputs_OnnxRuntimeMatchesTorch(AllocatorModelKind kind)
    {
        var data = TestMarkets.Small;
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), new SampleRange(210, 60), new TorchTrainerOptions { Model = kind, Epochs = 2, Hidden = 16, BatchPeriods = 32 });
        using var net = trained.Network;
        var input = NetworkInputs.Random(net.Scaler, batch: 1000, assets: data.AssetCount, seed: 21);

        var error = MaxAbsError(net, Export(net, data), input);

        TestContext.WriteLine($"{kind} random: max |onnx − torch| = {error:E3}");
        Assert.IsLessThan(Tolerance, error);
    }

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie, 0.3f)]
    [DataRow(AllocatorModelKind.Mlp, null)]
    public void Export_TiltedTowardEqualWeights_OnnxRuntimeMatchesTorch(AllocatorModelKind kind, float? cap)
    {
        var data = TestMarkets.Small;
        var options = new TorchTrainerOptions { Model = kind, Epochs = 2, Hidden = 16, BatchPeriods = 32, Tilt = 0.4f, MaxWeight = cap, Cost = TrainingCostKind.Pool };
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), new SampleRange(210, 60), options);
        using var net = trained.Network;
        var input = NetworkInputs.Random(net.Scaler, batch: 500, assets: data.AssetCount, seed: 23);
        var model = Export(net, data);

        var error = MaxAbsError(net, model, input);

        TestContext.WriteLine($"{kind} tilt 0.4: max |onnx − torch| = {error:E3}");
        Assert.IsLessThan(Tolerance, error);
        Assert.AreEqual("0.4", model.Metadata.Single(p => p.Key == "predictive.anchor_tilt").Value);
    }

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie, 0.4f, 0.6f, TiltAnchor.EqualWeight)]
    [DataRow(AllocatorModelKind.Eiie, null, 1f, TiltAnchor.EqualWeight)]
    [DataRow(AllocatorModelKind.Mlp, null, 0.5f, TiltAnchor.EqualWeight)]
    [DataRow(AllocatorModelKind.Eiie, null, 0.5f, TiltAnchor.MinVariance)]
    public void Export_EnsembleOfThreeSeeds_OneGraphMatchesTorchEnsemble(AllocatorModelKind kind, float? cap, float tilt, TiltAnchor anchor)
    {
        var data = TestMarkets.Small;
        var members = new[] { 1, 2, 3 }
            .Select(seed => TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Model = kind, Epochs = 2, Hidden = 8, Seed = seed, MaxWeight = cap, Tilt = tilt, Anchor = anchor }).Network)
            .ToList();
        try
        {
            var ensemble = new AllocatorEnsemble(members);
            var input = NetworkInputs.Random(members[0].Scaler, batch: 300, assets: data.AssetCount, seed: 31);
            var torchWeights = new float[input.Mask.Length];
            ensemble.Predict(input.FeatureValues, input.Mask, input.Held, input.Batch, torchWeights);
            var model = TorchOnnxExporter.Export(ensemble, Metadata(data));

            var error = MaxAbsError(torchWeights, model, input);

            TestContext.WriteLine($"{kind} ensemble of 3 (cap {cap}, tilt {tilt}, anchor {anchor}): max |onnx − torch| = {error:E3}");
            Assert.IsLessThan(Tolerance, error);
            Assert.AreEqual("3", model.Metadata.Single(p => p.Key == TorchOnnxExporter.EnsembleMembersKey).Value);
            Assert.IsGreaterThan(1e-4f, MaxAbsError(members[0], model, input), "the graph is the mean, not its first member");
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie, 0.3f)]
    [DataRow(AllocatorModelKind.Mlp, null)]
    public void Export_TiltedTowardMinVariance_OnnxRuntimeMatchesTorchOnRandomAndRealInputs(AllocatorModelKind kind, float? cap)
    {
        var data = TestMarkets.Small;
        var options = new TorchTrainerOptions { Model = kind, Epochs = 2, Hidden = 16, BatchPeriods = 32, Tilt = 0.4f, Anchor = TiltAnchor.MinVariance, MaxWeight = cap, Cost = TrainingCostKind.Pool };
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), new SampleRange(210, 60), options);
        using var net = trained.Network;
        var model = Export(net, data);

        var random = MaxAbsError(net, model, NetworkInputs.Random(net.Scaler, batch: 500, assets: data.AssetCount, seed: 29));
        var real = MaxAbsError(net, model, RealInputs(data, new SampleRange(1, data.SampleCount - 1)));

        TestContext.WriteLine($"{kind} min-variance tilt 0.4: max |onnx − torch| = {random:E3} random, {real:E3} real");
        Assert.IsLessThan(Tolerance, random);
        Assert.IsLessThan(Tolerance, real);
        Assert.AreEqual($"{{\"kind\":\"diagonal-min-variance\",\"feature\":{data.Spec.IndexOf("realizedVolatility_30")}}}", model.Metadata.Single(p => p.Key == AnchorTilt.AnchorMetadataKey).Value);
    }

    [TestMethod]
    public void Export_EnsembleOfDifferentAnchors_ThrowsNamingAnchor()
    {
        var data = TestMarkets.Small;
        using var a = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Epochs = 1, Hidden = 8, Tilt = 0.5f }).Network;
        using var b = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Epochs = 1, Hidden = 8, Tilt = 0.5f, Anchor = TiltAnchor.MinVariance }).Network;

        var e = Assert.ThrowsExactly<ArgumentException>(() => TorchOnnxExporter.Export(new AllocatorEnsemble([a, b]), Metadata(data)));

        Assert.Contains("anchor", e.Message);
    }

    [TestMethod]
    public void Export_EnsembleOfDifferentTilts_ThrowsNamingTilt()
    {
        var data = TestMarkets.Small;
        using var a = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Epochs = 1, Hidden = 8 }).Network;
        using var b = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Epochs = 1, Hidden = 8, Tilt = 0.5f }).Network;

        var e = Assert.ThrowsExactly<ArgumentException>(() => TorchOnnxExporter.Export(new AllocatorEnsemble([a, b]), Metadata(data)));

        Assert.Contains("tilt", e.Message);
    }

    [TestMethod]
    public void Export_Eiie_ServesOtherAssetCounts()
    {
        var data = TestMarkets.Small;
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Epochs = 1, Hidden = 8 });
        using var net = trained.Network;
        var model = Export(net, data);

        foreach (var assets in new[] { 1, 2, 9, 30 })
        {
            var error = MaxAbsError(net, model, NetworkInputs.Random(net.Scaler, batch: 50, assets: assets, seed: assets));
            Assert.IsLessThan(Tolerance, error, $"{assets} assets");
        }
    }

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie)]
    [DataRow(AllocatorModelKind.Mlp)]
    public void Export_RealCryptoFeatures_OnnxRuntimeMatchesTorch(AllocatorModelKind kind)
    {
        var data = Real.Value;
        var fit = new SampleRange(0, data.SampleCount - 1000);
        var trained = TorchAllocatorTrainer.Train(data, fit, default, new TorchTrainerOptions { Model = kind, Epochs = 2 });
        using var net = trained.Network;
        var last = new SampleRange(data.SampleCount - 1000, 1000);
        var input = RealInputs(data, last);

        var error = MaxAbsError(net, Export(net, data), input);

        TestContext.WriteLine($"{kind} real ({data.AssetCount} assets, {last}): max |onnx − torch| = {error:E3}");
        Assert.IsLessThan(Tolerance, error);
    }

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie)]
    [DataRow(AllocatorModelKind.Mlp)]
    public void Export_InfiniteFeature_AssetUnavailableLikeNaN(AllocatorModelKind kind)
    {
        var data = TestMarkets.Small;
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Model = kind, Epochs = 1, Hidden = 8 });
        using var net = trained.Network;
        var input = NetworkInputs.Random(net.Scaler, batch: 200, assets: data.AssetCount, seed: 5);

        // Each unavailable asset gets one non-finite feature (+∞, −∞ or NaN in turn) and finite values elsewhere.
        var features = (float[])input.FeatureValues.Clone();
        var marked = 0;
        for (var i = 0; i < input.Mask.Length; i++)
        {
            if (!input.Mask[i])
            {
                features[(i * input.Features) + (marked % input.Features)] = (marked % 3) switch { 0 => float.PositiveInfinity, 1 => float.NegativeInfinity, _ => float.NaN };
                marked++;
            }
        }

        var error = MaxAbsError(net, Export(net, data), input, features);

        Assert.IsGreaterThan(10, marked);
        Assert.IsLessThan(Tolerance, error);
    }

    [TestMethod]
    public void Export_BothModels_PassOfficialCheckerAndContract()
    {
        var data = TestMarkets.Small;
        var directory = Directory.CreateTempSubdirectory("predictive-torch-export-").FullName;
        try
        {
            var paths = new List<string>();
            foreach (var kind in new[] { AllocatorModelKind.Eiie, AllocatorModelKind.Mlp })
            {
                var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Model = kind, Epochs = 1, Hidden = 8 });
                using var net = trained.Network;
                var model = Export(net, data);
                using (var session = new InferenceSession(model.ToByteArray()))
                {
                    ModelContract.Validate(session);
                    Assert.AreEqual(kind == AllocatorModelKind.Mlp, session.ModelMetadata.CustomMetadataMap.ContainsKey(ModelMetadataKeys.Assets));
                }

                var path = Path.Combine(directory, $"{kind}.onnx");
                model.Save(path);
                paths.Add(path);
            }

            var (exitCode, output) = OnnxChecker.Check([.. paths]);

            Assert.AreEqual(0, exitCode, output);
            Assert.Contains("ok " + paths[1], output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [TestMethod]
    public void Export_MlpWithoutAssetList_Throws()
    {
        using var net = new MlpNetwork(FeatureScaler.Fit(TestMarkets.Small, new SampleRange(0, 100)), 4, 5);

        var e = Assert.ThrowsExactly<ArgumentException>(() => TorchOnnxExporter.Export(net, Metadata(TestMarkets.Small) with { Assets = null }));

        Assert.Contains("fixed list of 5 assets", e.Message);
    }

    private static OnnxModel Export(AllocatorNetwork net, TrainingDataset data) => TorchOnnxExporter.Export(net, Metadata(data));

    private static OnnxExportMetadata Metadata(TrainingDataset data) =>
        new(data.Spec.ToJson(), data.DescribeRange(new SampleRange(0, 200)), """{"sharpe":1.0}""", 42, "0.0.0-test", data.Assets);

    private static float MaxAbsError(AllocatorNetwork net, OnnxModel model, NetworkInputs input, float[]? onnxFeatures = null) =>
        MaxAbsError(NetworkTests.Predict(net, input), model, input, onnxFeatures);

    private static float MaxAbsError(float[] torchWeights, OnnxModel model, NetworkInputs input, float[]? onnxFeatures = null)
    {
        using var session = new InferenceSession(model.ToByteArray());
        var onnxWeights = OnnxTools.Run(session, onnxFeatures ?? input.FeaturesWithNaN(), [input.Batch, input.Assets, input.Features], input.Held, [input.Batch, input.Assets]);
        Assert.HasCount(torchWeights.Length, onnxWeights);
        ModelContract.ValidateWeights(onnxWeights, input.Assets);
        var max = 0f;
        for (var i = 0; i < torchWeights.Length; i++)
        {
            max = Math.Max(max, Math.Abs(torchWeights[i] - onnxWeights[i]));
        }

        return max;
    }

    private static NetworkInputs RealInputs(TrainingDataset data, SampleRange range)
    {
        var n = data.AssetCount;
        var f = data.FeatureCount;
        var held = new float[range.Count * n];
        for (var k = 0; k < range.Count; k++)
        {
            // Held weights: equal weights drifted by the previous period, as a live portfolio would hold.
            var eq = new float[n];
            data.EqualWeightsInto(range.Start + k - 1, eq);
            data.DriftInto(range.Start + k - 1, eq, held.AsSpan(k * n, n));
        }

        return new NetworkInputs
        {
            Batch = range.Count,
            Assets = n,
            Features = f,
            FeatureValues = data.Features.Slice(range.Start * n * f, range.Count * n * f).ToArray(),
            Mask = data.Mask.Slice(range.Start * n, range.Count * n).ToArray(),
            Held = held,
        };
    }
}
