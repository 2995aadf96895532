using Predictive.Research.Metrics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Pipeline;
using Predictive.Training.Study;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;

namespace Predictive.Training.Tests.Study;

[TestClass]
public sealed class OptionStudyTests
{
    private static readonly WalkForwardOptions Folds = new() { Folds = 2, MinTrainSize = 200 };

    [TestMethod]
    public void Run_OneSeed_EnsembleOfOneEqualsThatSeed()
    {
        var data = TestMarkets.Small;
        var variant = new StudyVariant("pool+band", "test", Quick(data) with { Cost = TrainingCostKind.Pool, NoTradeBand = 0.02f });

        var result = OptionStudy.Run(data, [variant], [5], classical: []);

        var outcome = result.Variants.Single();
        Assert.AreEqual(outcome.Seeds.Single().Overall, outcome.Ensemble.Overall);
        Assert.AreEqual(0, outcome.SharpeSpread);
    }

    [TestMethod]
    public void Run_TwoSeeds_SeedMatchesItsOwnTrainingAndEqualWeightMatchesBacktester()
    {
        var data = TestMarkets.Small;
        var options = Quick(data) with { Cost = TrainingCostKind.Pool, Tilt = 0.5f };

        var result = OptionStudy.Run(data, [new StudyVariant("pool+tilt", "test", options)], [1, 2], classical: []);

        // Independently: seed 2's fold models trained and backtested one by one, and 1/N through the backtester.
        var folds = WalkForwardSplitter.Split(data.SampleCount, Folds);
        var evaluator = new SampleBacktester(data);
        var tests = new List<Core.Backtesting.BacktestResult>();
        foreach (var fold in folds)
        {
            var (fit, validation) = fold.SplitValidation(Math.Min(options.ValidationSize, fold.Train.Count / 4));
            var trained = TorchAllocatorTrainer.Train(data, fit, validation, (options with { Seed = 2 }).ToTrainerOptions());
            using var net = trained.Network;
            tests.Add(TorchAllocatorTrainer.Evaluate(net, evaluator, data, fold.Test));
        }

        var equal = PerformanceMetrics.Chain([.. folds.Select(f => evaluator.Run("equal", f.Test, evaluator.EqualWeights))]);
        var outcome = result.Variants.Single();
        Assert.AreEqual(PerformanceMetrics.Chain(tests), outcome.Seeds[1].Overall);
        Assert.AreEqual(equal, result.EqualWeight.Overall);
        Assert.AreEqual((outcome.Seeds[0].Overall.Sharpe + outcome.Seeds[1].Overall.Sharpe) / 2, outcome.MeanSharpe, 1e-12);
        Assert.HasCount(2, result.FoldTests);
    }

    [TestMethod]
    public void Run_VariantsOnDifferentFolds_ThrowsNamingTheVariant()
    {
        var data = TestMarkets.Small;
        var a = new StudyVariant("a", "test", Quick(data));
        var b = new StudyVariant("b", "test", Quick(data) with { WalkForward = Folds with { Folds = 3 } });

        var e = Assert.ThrowsExactly<ArgumentException>(() => OptionStudy.Run(data, [a, b], [1], classical: []));

        StringAssert.Contains(e.Message, "'b'");
    }

    [TestMethod]
    public void ToMarkdown_TwoVariants_OneRowEachPlusEqualWeightThenIntervalsClassicalAndVerdicts()
    {
        var data = TestMarkets.Small;
        var variants = OptionStudy.DefaultVariants(Quick(data) with { Epochs = 1 }).Take(2).ToList();
        var result = OptionStudy.Run(data, variants, [3], classical: ["equal", "inverse-vol", "hrp"]);

        var tables = StudyReport.ToMarkdown(result).Split("\n\n");
        var lines = tables[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var intervals = tables[2].Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.HasCount(2 + 2 + 1, lines);
        StringAssert.StartsWith(lines[2], "| linear |");
        StringAssert.StartsWith(lines[3], "| pool |");
        StringAssert.StartsWith(lines[4], "| 1/N |");
        // Two ensembles, 1/N, and the classical allocators other than 1/N.
        Assert.HasCount(2 + 2 + 1 + 2, intervals);
        StringAssert.StartsWith(intervals[4], "| 1/N |");
        StringAssert.StartsWith(intervals[6], "| classical hrp |");
        Assert.AreEqual(2 * 2, result.Trials);
        Assert.IsTrue(result.Variants.All(v => v.Verdict is { Met: false } verdict && verdict.Trials == 4), "a one-epoch model meets no goal");
        StringAssert.Contains(tables[3], GoalVerdict.Best(result.Classical)!.Name);
        Assert.AreEqual(result.Variants[1].MeanSharpe - result.EqualWeight.Overall.Sharpe, (double)StudyReport.ToJson(result)["variants"]![1]!["margin_over_equal_weight"]!, 1e-12);
    }

    private static TrainingOptions Quick(TrainingDataset data) => new()
    {
        Panel = data.Panel,
        Epochs = 2,
        Hidden = 8,
        BatchPeriods = 32,
        ValidationSize = 40,
        WalkForward = Folds,
    };
}
