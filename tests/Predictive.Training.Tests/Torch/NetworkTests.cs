using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;
using static TorchSharp.torch;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class NetworkTests
{
    private static FeatureScaler Scaler => FeatureScaler.Fit(TestMarkets.Small, new SampleRange(0, 200));

    [TestMethod]
    public void Eiie_PermutedAssets_PermutesWeights()
    {
        random.manual_seed(5);
        using var net = new EiieNetwork(Scaler, 16);
        var input = NetworkInputs.Random(net.Scaler, batch: 8, assets: 6, seed: 1);
        int[] perm = [3, 0, 5, 1, 4, 2];
        var permuted = Permute(input, perm);

        var w = Predict(net, input);
        var wp = Predict(net, permuted);

        for (var b = 0; b < input.Batch; b++)
        {
            for (var a = 0; a < input.Assets; a++)
            {
                Assert.AreEqual(w[(b * 6) + perm[a]], wp[(b * 6) + a], 1e-6, $"row {b}, asset {a}");
            }
        }
    }

    [TestMethod]
    public void Eiie_AnyAssetCount_WeightsAreLongOnlySumToOneAndZeroWhereUnavailable()
    {
        random.manual_seed(6);
        using var net = new EiieNetwork(Scaler, 16);
        foreach (var assets in new[] { 1, 3, 12, 40 })
        {
            var input = NetworkInputs.Random(net.Scaler, batch: 16, assets: assets, seed: assets, unavailableShare: 0.3);

            var w = Predict(net, input);

            for (var b = 0; b < input.Batch; b++)
            {
                var row = w.AsSpan(b * assets, assets).ToArray();
                Assert.AreEqual(1.0, row.Sum(), 1e-5, $"{assets} assets, row {b}");
                for (var a = 0; a < assets; a++)
                {
                    Assert.IsGreaterThanOrEqualTo(0f, row[a]);
                    if (!input.Mask[(b * assets) + a])
                    {
                        Assert.AreEqual(0f, row[a], $"unavailable asset {a} of {assets}");
                    }
                }
            }
        }
    }

    [TestMethod]
    public void Mlp_WrongAssetCount_ThrowsNamingBoth()
    {
        using var net = new MlpNetwork(Scaler, 8, assetCount: 5);
        var input = NetworkInputs.Random(net.Scaler, batch: 2, assets: 4, seed: 2);

        var e = Assert.ThrowsExactly<ArgumentException>(() => Predict(net, input));

        Assert.Contains("5 assets; got 4", e.Message);
    }

    [TestMethod]
    public void NegativeSharpe_KnownBatch_MatchesHandComputationNetOfCosts()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 0.5f, 0.5f, 1f, 0f }, [2, 2]);
        var held = tensor(new float[] { 0.5f, 0.5f, 0.4f, 0.6f }, [2, 2]);
        var r = tensor(new float[] { 0.02f, -0.01f, 0.03f, 0.1f }, [2, 2]);

        var loss = PortfolioLoss.Compute(PortfolioLossKind.NegativeSharpe, w, held, r, costRate: 0.01, riskAversion: 0).item<float>();
        var mv = PortfolioLoss.Compute(PortfolioLossKind.MeanVariance, w, held, r, costRate: 0.01, riskAversion: 2).item<float>();

        // Period 1: 0.005 gross, no trade. Period 2: 0.03 gross, turnover 1.2 → cost 0.012, net 0.018.
        double n1 = 0.005, n2 = 0.018, mean = (n1 + n2) / 2, sd = Math.Abs(n1 - n2) / 2;
        Assert.AreEqual(-mean / (sd + 1e-6), loss, 1e-3);
        Assert.AreEqual(-(mean - (sd * sd)), mv, 1e-6);
    }

    internal static float[] Predict(AllocatorNetwork net, NetworkInputs input)
    {
        var w = new float[input.Batch * input.Assets];
        net.Predict(input.FeatureValues, input.Mask, input.Held, input.Batch, w);
        return w;
    }

    private static NetworkInputs Permute(NetworkInputs input, int[] perm)
    {
        var n = input.Assets;
        var f = input.Features;
        var x = new float[input.FeatureValues.Length];
        var m = new bool[input.Mask.Length];
        var h = new float[input.Held.Length];
        for (var b = 0; b < input.Batch; b++)
        {
            for (var a = 0; a < n; a++)
            {
                var src = (b * n) + perm[a];
                var dst = (b * n) + a;
                m[dst] = input.Mask[src];
                h[dst] = input.Held[src];
                Array.Copy(input.FeatureValues, src * f, x, dst * f, f);
            }
        }

        return new NetworkInputs { Batch = input.Batch, Assets = n, Features = f, FeatureValues = x, Mask = m, Held = h };
    }
}
