using CsCheck;
using Predictive.Core.Backtesting;
using Predictive.Research.Comparison;
using Predictive.Research.Reporting;

namespace Predictive.Research.Tests.Comparison;

[TestClass]
public sealed class StrategyHoldingsTests
{
    [TestMethod]
    public void EffectiveN_AnyLongOnlyWeights_BetweenOneAndTheAssetsHeldAndScaleFree()
    {
        // On failure CsCheck prints the seed; pass it back as Sample(seed: "…") to replay.
        Gen.Double[0, 1].Array[1, 30].Where(w => w.Sum() > 1e-6).Select(Gen.Double[0.01, 100]).Sample((w, scale) =>
        {
            var n = StrategyHoldings.EffectiveN(w);
            var held = w.Count(x => x > 0);
            var squares = w.Sum(x => x * x);
            Assert.AreEqual(w.Sum() * w.Sum() / squares, n, 1e-9 * n);
            Assert.IsTrue(n >= 1 - 1e-9 && n <= held + 1e-9, $"{n} outside [1, {held}]");
            Assert.AreEqual(n, StrategyHoldings.EffectiveN([.. w.Select(x => x * scale)]), 1e-9 * n);
        });
    }

    [TestMethod]
    public void EffectiveN_EqualAndSingleAsset_AreNAndOne()
    {
        Assert.AreEqual(8.0, StrategyHoldings.EffectiveN([.. Enumerable.Repeat(0.125, 8)]), 1e-12);
        Assert.AreEqual(1.0, StrategyHoldings.EffectiveN([0, 0, 1, 0]), 1e-12);
        Assert.AreEqual(0.0, StrategyHoldings.EffectiveN([0, 0]));
    }

    [TestMethod]
    public async Task From_FixedTargetsOnFlatPrices_ReportsTheTargetsHeld()
    {
        double[] targets = [0.4, 0.3, 0.2, 0.1];
        var backtester = new Backtester(new BacktestMarket(Some.Flat(4, 60)), new BacktestOptions { StartBar = 0, InitialValueQuote = 250_000m });
        var result = await backtester.RunAsync(new FixedTargets(targets), PolicySpec.Full());
        var run = ModelComparison.Score([result], seed: 1).Single();

        var h = StrategyHoldings.From(run);

        // Flat prices: after the first trade the weights stay on target, less the costs left in the quote asset.
        for (var a = 0; a < 4; a++)
        {
            Assert.AreEqual(targets[a], h.FinalWeights[a], 2e-3, $"asset {a}");
        }

        Assert.AreEqual(1 / targets.Sum(w => w * w), h.FinalEffectiveN, 0.01);
        Assert.AreEqual(h.FinalEffectiveN, h.AverageEffectiveN, 0.01);
        Assert.AreEqual(0.4, h.LargestWeight, 2e-3);
        Assert.AreEqual(run.Score.Turnover, h.Turnover);
        Assert.AreEqual($"{result.Assets[0]} 40.0 %, {result.Assets[1]} 30.0 %", h.DescribeFinalTop(2));
        Assert.AreEqual($"{result.Allocator} × {result.Policy}", h.Label);
    }

    [TestMethod]
    public async Task TopBySharpe_RunsWithNaN_BestFirstAndNaNLast()
    {
        var backtester = new Backtester(new BacktestMarket(Some.RandomWalk(4, 300, 9)), new BacktestOptions { StartBar = 50 });
        var results = new List<BacktestResult>();
        foreach (var policy in new[] { "calendar:5", "calendar:21", "band:0.05", "full" })
        {
            results.Add(await backtester.RunAsync(FixedTargets.Equal(4), PolicySpec.Parse(policy)));
        }

        var runs = ModelComparison.Score(results, seed: 3).ToList();
        runs.Add(runs[0] with { Score = runs[0].Score with { Sharpe = double.NaN } });
        var expected = Enumerable.Range(0, 4).OrderByDescending(k => runs[k].Score.Sharpe).ToList();

        CollectionAssert.AreEqual(expected.Take(3).ToArray(), Charts.TopBySharpe(runs, 3).ToArray());
        Assert.AreEqual(4, Charts.TopBySharpe(runs, 5)[^1], "the NaN run comes last");
    }
}
