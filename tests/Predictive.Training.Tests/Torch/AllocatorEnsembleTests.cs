using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class AllocatorEnsembleTests
{
    [TestMethod]
    public void Predict_ThreeSeeds_MeanOfMemberWeights()
    {
        var data = TestMarkets.Small;
        var members = new[] { 1, 2, 3 }
            .Select(seed => TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), default, new TorchTrainerOptions { Epochs = 1, Hidden = 8, Seed = seed }).Network)
            .ToList();
        try
        {
            var input = NetworkInputs.Random(members[0].Scaler, batch: 30, assets: data.AssetCount, seed: 4);
            var each = members.Select(m =>
            {
                var w = new float[input.Mask.Length];
                m.Predict(input.FeatureValues, input.Mask, input.Held, input.Batch, w);
                return w;
            }).ToList();
            var mean = new float[input.Mask.Length];

            new AllocatorEnsemble(members).Predict(input.FeatureValues, input.Mask, input.Held, input.Batch, mean);

            for (var i = 0; i < mean.Length; i++)
            {
                Assert.AreEqual((each[0][i] + each[1][i] + each[2][i]) / 3.0, mean[i], 1e-6, $"entry {i}");
            }

            Assert.AreNotEqual(each[0][0], each[1][0], "the seeds give different members");
        }
        finally
        {
            members.ForEach(m => m.Dispose());
        }
    }

    [TestMethod]
    public void Constructor_NoMember_Throws() =>
        Assert.ThrowsExactly<ArgumentException>(() => new AllocatorEnsemble([]));
}
