using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.Rebalancing;

namespace Predictive.Research.Tests.Backtesting;

[TestClass]
public sealed class BacktesterTests
{
    [TestMethod]
    public async Task RunAsync_SameInputsTwice_GivesIdenticalResults()
    {
        var backtester = new Backtester(new BacktestMarket(Some.RandomWalk(6, 600, 1)), new BacktestOptions { StartBar = 0 });
        var a = await backtester.RunAsync(FixedTargets.Equal(6), PolicySpec.Band(0.02));
        var b = await backtester.RunAsync(FixedTargets.Equal(6), PolicySpec.Band(0.02));
        CollectionAssert.AreEqual(a.Equity.ToArray(), b.Equity.ToArray());
        Assert.HasCount(a.Trades.Count, b.Trades);
    }

    [TestMethod]
    [DataRow("band:0.02")]
    [DataRow("calendar:7")]
    [DataRow("cost-band")]
    public async Task RunAsync_ScreenOnOrOff_GivesTheSameBacktest(string policy)
    {
        var backtester = new Backtester(new BacktestMarket(Some.RandomWalk(5, 400, 2)), new BacktestOptions { StartBar = 100, InitialValueQuote = 20_000_000m });
        var spec = PolicySpec.Parse(policy);
        var screened = await backtester.RunAsync(FixedTargets.Equal(5), spec);
        var unscreened = await backtester.RunAsync(FixedTargets.Equal(5), spec.Unscreened());
        Assert.IsGreaterThan(1, screened.RebalanceCount, "the policy should trade more than the initial investment");
        Assert.HasCount(unscreened.Trades.Count, screened.Trades);
        Assert.AreEqual(unscreened.FinalEquity, screened.FinalEquity, 1e-9 * unscreened.FinalEquity);
        // The cost-aware screen (benefit below one swap's gas) settles bars only for small portfolios; at 20 M it rarely can.
        Assert.IsLessThanOrEqualTo(unscreened.Details.Count, screened.Details.Count);
        if (policy != "cost-band")
        {
            Assert.IsLessThan(unscreened.Details.Count / 2, screened.Details.Count);
        }
    }

    [TestMethod]
    public async Task RunAsync_FlatPrices_ValueFallsByExactlyTheCostsPaid()
    {
        var backtester = new Backtester(new BacktestMarket(Some.Flat(4, 60)), new BacktestOptions { StartBar = 0, InitialValueQuote = 250_000m });
        var result = await backtester.RunAsync(new FixedTargets([0.4, 0.3, 0.2, 0.1]), PolicySpec.Calendar(5));
        var costs = result.Trades.Sum(t => (double)t.TotalCostQuote);
        Assert.IsGreaterThan(0, costs);
        Assert.AreEqual(250_000 - costs, result.FinalEquity, 1e-6);
        Assert.IsTrue(result.Trades.All(t => t.GasQuote > 0 && t.FeeQuote > 0 && t.ImpactQuote > 0));
    }

    [TestMethod]
    public async Task RunAsync_Calendar_TradesOnlyOnScheduledBars_AndExplainsEveryBar()
    {
        var backtester = new Backtester(new BacktestMarket(Some.RandomWalk(3, 300, 3)), new BacktestOptions { StartBar = 10 });
        var result = await backtester.RunAsync(FixedTargets.Equal(3), PolicySpec.Calendar(21));
        var decisions = result.Decisions.ToArray();
        Assert.HasCount(result.BarCount, decisions);
        Assert.IsTrue(decisions.Where(d => d.Trade).All(d => d.Bar % 21 == 0));
        Assert.IsTrue(result.Trades.All(t => t.Bar % 21 == 0));
        Assert.AreEqual(DecisionReason.NotScheduled, decisions[5].Reason);
        Assert.Contains("not a rebalancing date", result.Explain(5));
        Assert.Contains("initial investment", result.Explain(0));
        Assert.IsTrue(Enumerable.Range(0, result.BarCount).All(i => result.Explain(i).Length > 0));
    }

    [TestMethod]
    public async Task RunAsync_WeightsDriftBetweenTrades_AndSumToAtMostOne()
    {
        var backtester = new Backtester(new BacktestMarket(Some.RandomWalk(4, 200, 4)), new BacktestOptions { StartBar = 0 });
        var result = await backtester.RunAsync(FixedTargets.Equal(4), PolicySpec.Band(0.2));
        Assert.AreEqual(1, result.RebalanceCount, "a 20-point band is never reached by 25 % weights here");
        var first = result.WeightsAt(1).ToArray();
        var last = result.WeightsAt(result.BarCount - 1).ToArray();
        CollectionAssert.AreNotEqual(first, last);
        for (var t = 0; t < result.BarCount; t++)
        {
            var w = result.WeightsAt(t);
            var sum = 0.0;
            foreach (var x in w)
            {
                Assert.IsGreaterThanOrEqualTo(0.0, x);
                sum += x;
            }

            Assert.IsLessThanOrEqualTo(1 + 1e-12, sum);
        }
    }

    [TestMethod]
    public async Task RunAsync_WalkForward_UsesOneAllocatorPerFoldInRange()
    {
        var panel = Some.RandomWalk(4, 400, 5);
        var market = new BacktestMarket(panel);
        var frame = FeatureBuilder.Build(panel, FeatureSpec.Default.Where(f => !f.UsesVolume));
        var folds = BarFold.Expanding(panel.BarCount, 200, 50);
        var created = new List<int>();
        var served = new List<(int Fold, int Bar)>();
        var targets = new WalkForwardTargets(
            "wf-equal",
            folds,
            f =>
            {
                created.Add(f.Index);
                return new RecordingAllocator(Allocators.Create("inverse-vol"), input => served.Add((f.Index, BarOf(frame, input))));
            },
            frame,
            panel,
            new RiskEstimator(60));
        var result = await new Backtester(market, new BacktestOptions { StartBar = 200 }).RunAsync(targets, PolicySpec.Band(0.05));

        Assert.HasCount(4, folds);
        Assert.IsTrue(folds.All(f => f.TrainEnd == f.TestStart && f.TrainStart == 0));
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, created);
        Assert.AreEqual("wf-equal", result.Allocator);

        // Each fold's allocator decided every bar of its own test range and no other; the bar is recovered from the
        // features it was given, so this does not trust the schedule's own bookkeeping.
        foreach (var fold in folds)
        {
            var bars = served.Where(s => s.Fold == fold.Index).Select(s => s.Bar).ToArray();
            CollectionAssert.AreEqual(Enumerable.Range(fold.TestStart, fold.TestEnd - fold.TestStart).ToArray(), bars, $"fold {fold.Index}");
        }
    }

    /// <summary>The bar whose feature row is <paramref name="input"/>'s (rows past the warm-up are unique on a random walk).</summary>
    private static int BarOf(FeatureFrame frame, AllocationInput input) =>
        Enumerable.Range(0, frame.BarCount).Single(b => frame.Row(b).SequenceEqual(input.Features));

    /// <summary>Passes every decision through and reports its input first.</summary>
    private sealed class RecordingAllocator(IAllocator inner, Action<AllocationInput> record) : IAllocator
    {
        public string Name => inner.Name;

        public double[] Allocate(AllocationInput input)
        {
            record(input);
            return inner.Allocate(input);
        }
    }

    [TestMethod]
    public void WalkForwardTargets_FoldTrainingIntoItsTestRange_Throws()
    {
        var panel = Some.RandomWalk(2, 100, 6);
        var frame = FeatureBuilder.Build(panel, FeatureSpec.Default.Where(f => !f.UsesVolume));
        var bad = new[] { new BarFold(0, 0, 60, 50, 80) };
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new WalkForwardTargets("x", bad, _ => Allocators.Create("equal"), frame, panel, null));
        Assert.Contains("training must end before testing starts", ex.Message);
    }

    [TestMethod]
    [DataRow("banana", "Unknown policy 'banana'")]
    [DataRow("calendar:0", "calendar needs a whole number")]
    [DataRow("band:x", "band needs a weight fraction")]
    public void Parse_BadPolicy_ThrowsNamingTheProblem(string text, string message)
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => PolicySpec.Parse(text));
        Assert.Contains(message, ex.Message);
    }
}
