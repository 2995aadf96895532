using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Gbm;
using Predictive.Training.Tests.Gbm;

// Not "...Tests.Evaluation": that namespace would capture the relative name Evaluation.PerformanceMetrics used in
// Torch/TrainerTests.cs (it resolves through the enclosing namespaces) and break its build.
namespace Predictive.Training.Tests.EvaluationTests;

[TestClass]
public sealed class GbmWalkForwardTests
{
    /// <summary>The replayed folds are the trainer's folds: same fits, same scores, same backtests.</summary>
    [TestMethod]
    public void Run_SameFoldsAsTrainer_IdenticalFoldMetrics()
    {
        var panel = GbmTestData.Synthetic(bars: 450, assets: 4);
        var data = TrainingDataset.Create(panel);
        var folds = WalkForwardSplitter.Split(data.SampleCount, new WalkForwardOptions { Folds = 2, MinTrainSize = 150, Purge = 1, Embargo = 2 });

        var trainer = GbmTrainer.Train(panel, data, folds, GbmTestData.FastOptions);
        var replay = GbmWalkForward.Run(panel, data, folds, GbmTestData.FastOptions);

        Assert.HasCount(folds.Count, replay);
        for (var k = 0; k < folds.Count; k++)
        {
            Assert.AreEqual(trainer.Folds[k], replay[k].Metrics, $"fold {k}");
            Assert.AreEqual(replay[k].Metrics.Performance, replay[k].Backtest.Metrics);
            Assert.HasCount(folds[k].Test.Count, replay[k].Backtest.NetReturns);
        }
    }
}
