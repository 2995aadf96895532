using Predictive.Core.Allocation;
using Predictive.Research.Metrics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Tests.Support;

// Not "...Tests.Evaluation": that namespace would capture the relative name Evaluation.PerformanceMetrics used in
// Torch/TrainerTests.cs (it resolves through the enclosing namespaces) and break its build.
namespace Predictive.Training.Tests.EvaluationTests;

[TestClass]
public sealed class BaselineComparisonTests
{
    private static readonly WalkForwardOptions TwoFolds = new() { Folds = 2, MinTrainSize = 150, Purge = 1, Embargo = 2 };

    [TestMethod]
    public void Run_EqualAllocator_MatchesTheEqualWeightBenchmarkPerFoldAndChained()
    {
        var panel = TestMarkets.Synthetic(5, 400);
        var data = TrainingDataset.Create(panel);
        var folds = WalkForwardSplitter.Split(data.SampleCount, TwoFolds);

        var evaluator = new SampleBacktester(data);
        var equal = BaselineComparison.Run(evaluator, data, folds, allocators: ["equal"]).Single();

        var benchmark = folds.Select(f => evaluator.Run("1/N", f.Test, evaluator.EqualWeights)).ToList();
        for (var k = 0; k < folds.Count; k++)
        {
            CollectionAssert.AreEqual(benchmark[k].Equity.ToArray(), equal.Folds[k].Equity.ToArray(), $"fold {k}");
        }

        Assert.AreEqual(PerformanceMetrics.Chain(benchmark), equal.Overall);
        Assert.AreEqual(0, equal.Fallbacks);
    }

    [TestMethod]
    public void Run_AllAllocators_OneFiniteResultPerAllocatorAndFold()
    {
        var panel = TestMarkets.Synthetic(5, 400);
        var data = TrainingDataset.Create(panel);
        var folds = WalkForwardSplitter.Split(data.SampleCount, TwoFolds);

        var results = BaselineComparison.Run(new SampleBacktester(data), data, folds);

        CollectionAssert.AreEqual(Allocators.Names.ToArray(), results.Select(r => r.Name).ToArray());
        foreach (var r in results)
        {
            Assert.HasCount(folds.Count, r.Folds, r.Name);
            Assert.IsNotNull(r.Overall, r.Name);
            Assert.IsTrue(double.IsFinite(r.Overall.Sharpe), $"{r.Name} Sharpe {r.Overall.Sharpe}");
            Assert.AreEqual(folds.Sum(f => f.Test.Count), r.Overall.Observations, r.Name);
            Assert.AreEqual(0, r.Fallbacks, r.Name);
        }

        // The risk-based allocators are not 1/N in disguise: at least one trades differently.
        var equalTargets = results[0].Folds[0].Targets.ToArray();
        Assert.IsTrue(results.Skip(1).Any(r => !r.Folds[0].Targets.SequenceEqual(equalTargets)));
    }

    /// <summary>A baseline never sees data after its decision bar: changing every later close leaves its weights alone.</summary>
    [TestMethod]
    public void Run_PricesAfterABarChanged_WeightsUpToThatBarUnchanged()
    {
        var source = TestMarkets.Synthetic(5, 400);
        var original = TestMarkets.WithFutureChanged(source, source.BarCount, 1.0);
        var data = TrainingDataset.Create(original);
        var folds = WalkForwardSplitter.Split(data.SampleCount, TwoFolds);
        var test = folds[^1].Test;
        var cut = test.Start + (test.Count / 2);
        var lastKept = data.Bar(cut);
        var changed = TestMarkets.WithFutureChanged(source, lastKept, 1.5);
        var changedData = TrainingDataset.Create(changed);
        Assert.AreEqual(data.SampleCount, changedData.SampleCount);

        var before = BaselineComparison.Run(new SampleBacktester(data), data, folds);
        var after = BaselineComparison.Run(new SampleBacktester(changedData), changedData, folds);

        // The targets the allocator chose, one row per backtest bar from the test block's first decision bar.
        var n = data.AssetCount;
        var kept = (lastKept - data.Bar(test.Start) + 1) * n;
        var anyLaterDiffers = false;
        for (var i = 0; i < before.Count; i++)
        {
            var w0 = before[i].Folds[^1].Targets.ToArray();
            var w1 = after[i].Folds[^1].Targets.ToArray();
            CollectionAssert.AreEqual(w0.Take(kept).ToArray(), w1.Take(kept).ToArray(), $"{before[i].Name} changed a decision made at or before bar {lastKept}");
            anyLaterDiffers |= !w0.Skip(kept).SequenceEqual(w1.Skip(kept));
        }

        Assert.IsTrue(anyLaterDiffers, "the change must reach later decisions, or this test could not catch a leak");
    }

    [TestMethod]
    [DataRow("equal")]
    [DataRow("inverse-vol")]
    [DataRow("risk-parity")]
    [DataRow("min-variance")]
    [DataRow("max-sharpe")]
    [DataRow("hrp")]
    public void Decide_AssetNotYetListed_GetsZeroWeightAndTheRestSumToOne(string name)
    {
        var panel = TestMarkets.WithLateListing(TestMarkets.Synthetic(5, 400), asset: 2, unlistedBars: 250);
        var data = TrainingDataset.Create(panel);
        var policy = new ClassicalPolicy(Allocators.Create(name), panel, data);
        var held = new float[data.AssetCount];
        var weights = new float[data.AssetCount];
        data.EqualWeightsInto(0, held);

        policy.Decide(0, held, weights);

        Assert.IsFalse(data.MaskRow(0)[2]);
        Assert.AreEqual(0f, weights[2]);
        Assert.AreEqual(1.0, weights.Sum(w => (double)w), 1e-5);
        Assert.IsTrue(weights.All(w => w >= 0));
    }

    [TestMethod]
    public void Run_SeveralAllocators_EstimatesRiskOncePerBar()
    {
        var panel = TestMarkets.Synthetic(5, 400);
        var data = TrainingDataset.Create(panel);
        var cache = new RiskCache(panel);
        var range = new SampleRange(100, 30);

        foreach (var name in new[] { "inverse-vol", "min-variance", "hrp" })
        {
            new SampleBacktester(data).Run(name, range, new ClassicalPolicy(Allocators.Create(name), panel, data, cache).Decide);
        }

        Assert.AreEqual(range.Count, cache.Count);
    }

    [TestMethod]
    public void Create_DatasetFromAnotherPanel_ThrowsNamingTheDataset()
    {
        var data = TrainingDataset.Create(TestMarkets.Synthetic(5, 400));
        var other = TestMarkets.Synthetic(4, 400);

        var error = Assert.ThrowsExactly<ArgumentException>(() => new ClassicalPolicy(Allocators.Create("hrp"), other, data));

        Assert.AreEqual("data", error.ParamName);
    }
}
