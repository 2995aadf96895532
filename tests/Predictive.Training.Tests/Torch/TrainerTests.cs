using Predictive.Training.Data;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;
using TorchSharp;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class TrainerTests
{
    private static readonly TorchTrainerOptions Quick = new() { Epochs = 3, Hidden = 8, BatchPeriods = 32, Patience = 100 };

    [TestMethod]
    [DataRow(AllocatorModelKind.Eiie, PortfolioLossKind.NegativeSharpe)]
    [DataRow(AllocatorModelKind.Mlp, PortfolioLossKind.MeanVariance)]
    public void Train_SameSeedAndData_SameParametersAndMetrics(AllocatorModelKind model, PortfolioLossKind loss)
    {
        var options = Quick with { Model = model, Loss = loss, Seed = 9 };
        var data = TestMarkets.Small;

        var (p1, m1) = TrainOnce(data, options);
        var (p2, m2) = TrainOnce(data, options);
        var (p3, _) = TrainOnce(data, options with { Seed = 10 });

        Assert.HasCount(p1.Count, p2);
        for (var i = 0; i < p1.Count; i++)
        {
            CollectionAssert.AreEqual(p1[i].Values, p2[i].Values, p1[i].Name);
        }

        Assert.AreEqual(m1, m2);
        CollectionAssert.AreNotEqual(p1[0].Values, p3[0].Values, "another seed gives another network");
    }

    [TestMethod]
    public void Train_PoolCostPenaltyBandAndTilt_SameSeedSameParameters()
    {
        var options = Quick with { Seed = 9, Cost = TrainingCostKind.Pool, TurnoverPenalty = 1, NoTradeBand = 0.01f, Tilt = 0.7f };
        var data = TestMarkets.Small;

        var (p1, m1) = TrainOnce(data, options);
        var (p2, m2) = TrainOnce(data, options);
        var (p3, _) = TrainOnce(data, options with { Cost = TrainingCostKind.Linear, TurnoverPenalty = 0 });

        for (var i = 0; i < p1.Count; i++)
        {
            CollectionAssert.AreEqual(p1[i].Values, p2[i].Values, p1[i].Name);
        }

        Assert.AreEqual(m1, m2);
        CollectionAssert.AreNotEqual(p1[0].Values, p3[0].Values, "the cost model changes what is learned");
    }

    [TestMethod]
    public void Train_ManyEpochs_LiveTensorCountStaysFlat()
    {
        var live = new List<long>();
        var trained = TorchAllocatorTrainer.Train(
            TestMarkets.Small,
            new SampleRange(0, 200),
            new SampleRange(210, 60),
            Quick with { Epochs = 8 },
            _ => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        trained.Network.Dispose();

        Assert.HasCount(8, live);
        // Epoch 1 creates the optimizer's state; after that every step's tensors die with its dispose scope.
        Assert.AreEqual(live[1], live[^1], string.Join(", ", live));
    }

    [TestMethod]
    public void Train_Progress_ReportsEveryEpochWithValidationSharpe()
    {
        var reports = new List<EpochReport>();

        var trained = TorchAllocatorTrainer.Train(TestMarkets.Small, new SampleRange(0, 200), new SampleRange(210, 60), Quick, reports.Add);
        using var network = trained.Network;

        CollectionAssert.AreEqual(new[] { 1, 2, 3 }, reports.Select(r => r.Epoch).ToArray());
        Assert.IsTrue(reports.All(r => double.IsFinite(r.Loss) && double.IsFinite(r.ValidationSharpe)));
        Assert.AreEqual(reports.Max(r => r.ValidationSharpe), reports[^1].BestValidationSharpe);
        Assert.AreEqual(reports.Max(r => r.ValidationSharpe), trained.Validation!.Sharpe, 1e-9, "the best epoch's parameters are kept");
    }

    [TestMethod]
    public void Train_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsExactly<OperationCanceledException>(() => TorchAllocatorTrainer.Train(TestMarkets.Small, new SampleRange(0, 200), default, Quick, cancellationToken: cts.Token));
    }

    private static (IReadOnlyList<(string Name, float[] Values)> Parameters, Predictive.Research.Metrics.PerformanceMetrics? Metrics) TrainOnce(TrainingDataset data, TorchTrainerOptions options)
    {
        var trained = TorchAllocatorTrainer.Train(data, new SampleRange(0, 200), new SampleRange(210, 60), options);
        using var network = trained.Network;
        return (network.SnapshotParameters(), trained.Validation);
    }
}
