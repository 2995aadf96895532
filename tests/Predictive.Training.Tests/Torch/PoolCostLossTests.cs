using Predictive.Core.Rebalancing.Costs;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Tests.Support;
using Predictive.Training.Torch;
using static TorchSharp.torch;

namespace Predictive.Training.Tests.Torch;

[TestClass]
public sealed class PoolCostLossTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Fraction_LegsOfAtLeastMinimumTrade_MatchesCoreSwapCostModel()
    {
        var data = TestMarkets.Small;
        var evaluator = new SampleBacktester(data);
        var cost = new PoolCostLoss(data, evaluator);
        var n = data.AssetCount;
        var rng = new Random(3);
        const int Rows = 50;
        var held = new float[Rows * n];
        var weights = new float[Rows * n];
        var samples = new int[Rows];
        for (var r = 0; r < Rows; r++)
        {
            samples[r] = 20 + (r * 5);
            var h = RandomSimplex(rng, n);
            var w = RandomSimplex(rng, n);
            // Some legs exactly 0; the rest at least 2× the minimum trade (5e-4 of the portfolio): no gas ramp anywhere.
            for (var a = 0; a < n; a++)
            {
                if (a == r % n || Math.Abs(w[a] - h[a]) < 1e-3f)
                {
                    w[a] = h[a];
                }
            }

            h.CopyTo(held, r * n);
            w.CopyTo(weights, r * n);
        }

        var approx = Approximate(cost, weights, held, samples, n);

        for (var r = 0; r < Rows; r++)
        {
            Assert.AreEqual(0, cost.GasRampBound(weights.AsSpan(r * n, n), held.AsSpan(r * n, n), cost.GasFraction(samples[r])), "no leg below the minimum trade");
            var exact = ExactFraction(evaluator, data, samples[r], weights.AsSpan(r * n, n), held.AsSpan(r * n, n));
            Assert.AreEqual(exact, approx[r], (1e-5 * exact) + 1e-9, $"row {r}");
        }
    }

    [TestMethod]
    public void Fraction_ModelsOwnTradesOnSyntheticMarket_WithinStatedBoundOfCoreSwapCostModel() =>
        CheckOwnTrades(TestMarkets.Small, new SampleRange(0, 200), new SampleRange(210, 60));

    [TestMethod]
    public void Fraction_ModelsOwnTradesOnCryptoDaily_WithinStatedBoundOfCoreSwapCostModel()
    {
        var data = TrainingDataset.Create(TestMarkets.CryptoDaily());
        CheckOwnTrades(data, new SampleRange(0, 1500), new SampleRange(1510, 400));
    }

    [TestMethod]
    public void CalibratedPenaltyRate_EqualWeightPosition_ExactCostPerUnitTurnover()
    {
        var data = TestMarkets.Small;
        var evaluator = new SampleBacktester(data);
        var cost = new PoolCostLoss(data, evaluator);
        var fit = new SampleRange(10, 200);
        var v = (double)evaluator.Options.InitialValueQuote;
        var leg = (decimal)(v / data.AssetCount);
        var depth = evaluator.Options.PoolDepthQuote;
        var model = new SwapCostModel(evaluator.Options.Costs);

        // A buy of one equal-weight position through a pool at price 1 (fee and impact do not depend on the price).
        var noGas = new GasQuote(0, 0, "test", "test");
        var legCost = (double)model.Estimate(leg, depth, depth, 1, 1, noGas).TotalQuote;
        var meanGas = Enumerable.Range(fit.Start, fit.Count).Average(s => evaluator.Market.GasPerSwapQuote(data.Bar(s)));
        var expected = (legCost + meanGas) / (double)leg;

        var rate = TradeRestraint.CalibratedPenaltyRate(cost, data, fit);

        Assert.AreEqual(expected, rate, 1e-9 * expected);
    }

    [TestMethod]
    public void Constructor_NoMinimumTrade_ThrowsNamingIt()
    {
        var data = TestMarkets.Small;
        var evaluator = new SampleBacktester(data, EvaluationOptions.Default with { Planner = new() { MinTradeQuote = 0 } });

        var e = Assert.ThrowsExactly<ArgumentException>(() => new PoolCostLoss(data, evaluator));

        StringAssert.Contains(e.Message, "MinTradeQuote");
    }

    private void CheckOwnTrades(TrainingDataset data, SampleRange fit, SampleRange trade)
    {
        var trained = TorchAllocatorTrainer.Train(data, fit, default, new TorchTrainerOptions { Cost = TrainingCostKind.Pool, Epochs = 2, Hidden = 16, Seed = 4 });
        using var net = trained.Network;
        net.eval();
        var evaluator = new SampleBacktester(data);
        var cost = new PoolCostLoss(data, evaluator);
        var n = data.AssetCount;
        var held = new float[trade.Count * n];
        var weights = new float[trade.Count * n];
        var samples = new int[trade.Count];
        var h = new float[n];
        data.EqualWeightsInto(trade.Start, h);
        for (var k = 0; k < trade.Count; k++)
        {
            var s = trade.Start + k;
            samples[k] = s;
            h.CopyTo(held, k * n);
            net.Predict(data.FeatureRow(s), data.MaskRow(s), h, 1, weights.AsSpan(k * n, n));
            data.DriftInto(s, weights.AsSpan(k * n, n), h);
        }

        var approx = Approximate(cost, weights, held, samples, n);
        double worst = 0, worstBound = 0, total = 0;
        for (var k = 0; k < trade.Count; k++)
        {
            var w = weights.AsSpan(k * n, n);
            var hk = held.AsSpan(k * n, n);
            var exact = ExactFraction(evaluator, data, samples[k], w, hk);
            var bound = cost.GasRampBound(w, hk, cost.GasFraction(samples[k]));
            var error = Math.Abs(approx[k] - exact);
            Assert.IsLessThanOrEqualTo(bound + (1e-5 * exact) + 1e-9, error, $"sample {samples[k]}: approx {approx[k]:E6}, exact {exact:E6}, bound {bound:E6}");
            worst = Math.Max(worst, error);
            worstBound = Math.Max(worstBound, bound);
            total += exact;
        }

        TestContext.WriteLine($"{trade.Count} periods of the model's trades: mean exact cost {total / trade.Count * 1e4:F3} bps/period, max |approx − exact| {worst * 1e4:F4} bps, max stated bound {worstBound * 1e4:F4} bps");
    }

    private static float[] Approximate(PoolCostLoss cost, float[] weights, float[] held, int[] samples, int n)
    {
        using var scope = NewDisposeScope();
        var gas = tensor(samples.Select(cost.GasFraction).ToArray(), [samples.Length]);
        return cost.Fraction(tensor(weights, [samples.Length, n]), tensor(held, [samples.Length, n]), gas).data<float>().ToArray();
    }

    /// <summary>Core's swap cost model on every nonzero leg, each a swap against the quote asset through a pool at the close, over the portfolio value.</summary>
    private static double ExactFraction(SampleBacktester evaluator, TrainingDataset data, int sample, ReadOnlySpan<float> weights, ReadOnlySpan<float> held)
    {
        var options = evaluator.Options;
        var model = new SwapCostModel(options.Costs);
        var bar = data.Bar(sample);
        var panel = data.Panel;
        var gas = evaluator.Market.Gas.At(panel.Timestamps[bar] + panel.Interval.Length);
        var v = options.InitialValueQuote;
        var depth = options.PoolDepthQuote;
        decimal total = 0;
        for (var a = 0; a < weights.Length; a++)
        {
            var q = v * (decimal)Math.Abs((double)weights[a] - held[a]);
            if (q == 0)
            {
                continue;
            }

            var price = panel.Close(a)[bar];
            var tokens = depth / (decimal)price;
            var estimate = weights[a] > held[a]
                ? model.Estimate(q, depth, tokens, 1, price, gas)
                : model.Estimate(q / (decimal)price, tokens, depth, price, 1, gas);
            total += estimate.TotalQuote;
        }

        return (double)(total / v);
    }

    private static float[] RandomSimplex(Random rng, int n)
    {
        var x = Enumerable.Range(0, n).Select(_ => (float)-Math.Log(1 - rng.NextDouble())).ToArray();
        var sum = x.Sum();
        return [.. x.Select(v => v / sum)];
    }
}
