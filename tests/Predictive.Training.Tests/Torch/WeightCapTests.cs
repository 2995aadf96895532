using Microsoft.ML.OnnxRuntime;
using Predictive.Onnx.Contract;
using Predictive.Tests.Shared;
using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;
using static TorchSharp.torch;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class WeightCapTests
{
    private static FeatureScaler Scaler => FeatureScaler.Fit(TestMarkets.Small, new SampleRange(0, 200));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(0.3f)]
    [DataRow(0.12f)]
    public void Forward_MaxWeight_WeightsAtMostCapAndSumToOne(float cap)
    {
        foreach (var assets in new[] { 1, 2, 5, 9, 30 })
        {
            var (free, capped) = Networks(seed: assets, cap);
            using (free)
            using (capped)
            {
                var input = NetworkInputs.Random(Scaler, batch: 200, assets: assets, seed: 100 + assets, unavailableShare: 0.3);
                var raw = NetworkTests.Predict(free, input);
                var w = NetworkTests.Predict(capped, input);
                var bound = false;
                for (var b = 0; b < input.Batch; b++)
                {
                    var available = input.Mask.AsSpan(b * assets, assets).Count(true);
                    var rowCap = Math.Max(cap, 1f / available);
                    var sum = 0.0;
                    for (var a = 0; a < assets; a++)
                    {
                        var i = (b * assets) + a;
                        bound |= raw[i] > rowCap + 1e-3f;
                        Assert.IsLessThanOrEqualTo(rowCap + 1e-6f, w[i], $"{assets} assets, row {b}, asset {a}");
                        Assert.IsGreaterThanOrEqualTo(0f, w[i]);
                        if (!input.Mask[i])
                        {
                            Assert.AreEqual(0f, w[i], $"unavailable asset {a}, row {b}");
                        }

                        sum += w[i];
                    }

                    Assert.AreEqual(1.0, sum, 1e-6, $"{assets} assets, row {b}");
                }

                Assert.IsTrue(assets < 3 || bound, $"the cap never bound with {assets} assets; the test would prove nothing.");
            }
        }
    }

    [TestMethod]
    public void Export_MaxWeight_OnnxRuntimeMatchesTorch()
    {
        const float cap = 0.15f;
        var (free, capped) = Networks(seed: 3, cap);
        free.Dispose();
        using (capped)
        {
            var model = TorchOnnxExporter.Export(capped, Metadata());
            using var session = new InferenceSession(model.ToByteArray());
            foreach (var assets in new[] { 2, 5, 9, 30 })
            {
                var input = NetworkInputs.Random(capped.Scaler, batch: 1000, assets: assets, seed: assets);
                var torchWeights = NetworkTests.Predict(capped, input);
                var onnxWeights = OnnxTools.Run(session, input.FeaturesWithNaN(), [input.Batch, assets, input.Features], input.Held, [input.Batch, assets]);
                ModelContract.ValidateWeights(onnxWeights, assets);
                var error = torchWeights.Zip(onnxWeights, (x, y) => Math.Abs(x - y)).Max();
                TestContext.WriteLine($"cap {cap}, {assets} assets: max |onnx − torch| = {error:E3}");
                Assert.IsLessThan(1e-5f, error, $"{assets} assets");
            }
        }
    }

    [TestMethod]
    public void Export_TrainedWithMaxWeight_PassesOfficialCheckerAndRecordsCap()
    {
        var data = TestMarkets.Small;
        var options = new TorchTrainerOptions { Epochs = 1, Hidden = 8, MaxWeight = 0.25f };
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, options);
        using var net = trained.Network;
        var model = TorchOnnxExporter.Export(net, Metadata());
        var path = Path.Combine(Directory.CreateTempSubdirectory("predictive-weight-cap-").FullName, "capped.onnx");
        try
        {
            model.Save(path);
            using (var session = new InferenceSession(path))
            {
                ModelContract.Validate(session);
                Assert.AreEqual("0.25", session.ModelMetadata.CustomMetadataMap["predictive.max_weight"]);
            }

            var (exitCode, output) = OnnxChecker.Check(path);

            Assert.AreEqual(0, exitCode, output);
            Assert.Contains("ok " + path, output);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [TestMethod]
    public void Validate_MaxWeightOnMlpOrOutOfRange_Throws()
    {
        var mlp = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TorchTrainerOptions { Model = AllocatorModelKind.Mlp, MaxWeight = 0.3f }.Validate());
        var zero = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TorchTrainerOptions { MaxWeight = 0f }.Validate());

        Assert.Contains("Eiie network only", mlp.Message);
        Assert.Contains("(0, 1]", zero.Message);
    }

    // The same parameters without and with the cap; the score layer is sharpened so the softmax is far from uniform
    // and the cap binds.
    private static (EiieNetwork Free, EiieNetwork Capped) Networks(int seed, float cap)
    {
        random.manual_seed(seed);
        var free = new EiieNetwork(Scaler, 16);
        using (no_grad())
        {
            free.ScoreLayer.weight!.mul_(20);
        }

        var capped = new EiieNetwork(Scaler, 16, cap);
        capped.RestoreParameters(free.SnapshotParameters());
        return (free, capped);
    }

    private static OnnxExportMetadata Metadata() =>
        new(TestMarkets.Small.Spec.ToJson(), TestMarkets.Small.DescribeRange(new SampleRange(0, 200)), """{"sharpe":1.0}""", 42, "0.0.0-test", null);
}
