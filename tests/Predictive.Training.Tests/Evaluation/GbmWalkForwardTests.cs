using Predictive.Research.Metrics;
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
    /// <summary>
    /// Determinism, not correctness: <see cref="GbmTrainer"/> and <see cref="GbmWalkForward"/> run the same fold loop
    /// (<c>GbmTrainer.RunFolds</c>), so this shows that two runs with the same seed fit the same trees and report the same
    /// metrics, and that each fold keeps Core's backtest of its test block. Whether the GBM fits well is tested against
    /// ML.NET's own scores in GbmOnnxParityTests and GbmTrainerTests.
    /// </summary>
    [TestMethod]
    public void Run_SameFoldsAndSeedAsTrainer_DeterministicIdenticalFoldMetrics()
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
            Assert.AreEqual(replay[k].Metrics.Performance, PerformanceMetrics.Chain([replay[k].Backtest]));
            Assert.AreEqual(folds[k].Test.Count + 1, replay[k].Backtest.BarCount, "one bar per test sample plus the close its last label ends at");
        }
    }
}
