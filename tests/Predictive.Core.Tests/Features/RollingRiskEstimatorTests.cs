using CsCheck;
using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Tests.MarketData;
using Predictive.Tests.Shared;

namespace Predictive.Core.Tests.Features;

/// <summary>
/// <see cref="RollingRiskEstimator"/> against the two-pass <see cref="RiskEstimator"/> on the same panel and bar.
/// Stated tolerance: every covariance entry within 1e-9 of √(Σᵢᵢ·Σⱼⱼ) (the entry's scale) and every expected return
/// within 1e-9 of max(|μᵢ|, √Σᵢᵢ); the same entries NaN. The property test prints CsCheck's seed on failure; export
/// CsCheck_Seed to replay it.
/// </summary>
[TestClass]
public sealed class RollingRiskEstimatorTests
{
    private const double Tolerance = 1e-9;

    [TestMethod]
    public void MoveTo_AnyPanelWindowAndPath_SameEstimateAsTwoPass()
    {
        // Panels with a late listing, a NaN gap, forward-filled bars and (optionally) a price frozen for longer than the
        // window; windows from 2; re-anchoring every bar, rarely or by default; bar paths that step, jump and go back.
        var cases = Gen.Select(Gen.Int[1, 100_000], Gen.Int[1, 8], Gen.Int[2, 60], Gen.Int[0, 3], Gen.Bool, Gen.Int[1, 100_000]);
        cases.Sample((seed, assets, window, anchorMode, frozen, pathSeed) =>
        {
            var panel = Panel(seed, assets, 260, frozen, window);
            var reference = new RiskEstimator(window, meanShrinkage: 0.3);
            int[] every = [0, 1, 7, 10_000];
            var rolling = new RollingRiskEstimator(reference, panel, every[anchorMode]);
            var rng = new Random(pathSeed);
            var bar = 0;
            while (bar < panel.BarCount)
            {
                Assert.AreEqual(bar, Moved(rolling, bar), "the estimator reports the bar it was moved to");
                AssertSame(reference.Estimate(panel, bar), rolling, $"bar {bar}");
                var roll = rng.Next(20);
                bar += roll switch
                {
                    0 => -rng.Next(0, Math.Min(bar, 30) + 1), // back (a rebuild)
                    1 => rng.Next(window, (2 * window) + 2), // beyond the window (a rebuild)
                    2 => rng.Next(2, window + 1), // a few steps at once
                    _ => 1,
                };
                bar = Math.Max(bar, 0);
            }
        }, iter: 200, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void MoveTo_CryptoDailyEveryBar_SameEstimateAsTwoPass()
    {
        // The real case: 21 assets listed at different dates, two stablecoins, 3,400 daily bars, the backtester's window.
        var panel = MarketDataFile.Read(MarketDataTestFiles.SharedData("crypto-daily.csv"));
        var reference = new RiskEstimator();
        var rolling = new RollingRiskEstimator(reference, panel);
        for (var bar = 0; bar < panel.BarCount; bar++)
        {
            rolling.MoveTo(bar);
            if (bar % 7 == 0)
            {
                AssertSame(reference.Estimate(panel, bar), rolling, $"bar {bar}");
            }
        }
    }

    [TestMethod]
    public void Quadratic_AnyPanelAndVector_SameAsFormOfTwoPassEstimate()
    {
        // dᵀΣd from S and the shrinkage target against the same form over the two-pass estimate (NaN entries as 0), on
        // panels with a late listing, a gap and a frozen price, bar by bar; within 1e-9 of (Σ|dᵢ|·√Σᵢᵢ)².
        var cases = Gen.Select(Gen.Int[1, 100_000], Gen.Int[1, 9], Gen.Int[2, 40], Gen.Bool, Gen.Int[1, 100_000]);
        cases.Sample((seed, assets, window, frozen, vectorSeed) =>
        {
            var panel = Panel(seed, assets, 200, frozen, window);
            var reference = new RiskEstimator(window, meanShrinkage: 0.3);
            var rolling = new RollingRiskEstimator(reference, panel);
            var rng = new Random(vectorSeed);
            var d = new double[assets];
            for (var bar = 0; bar < panel.BarCount; bar++)
            {
                rolling.MoveTo(bar);
                var expected = reference.Estimate(panel, bar);
                for (var a = 0; a < assets; a++)
                {
                    d[a] = rng.Next(4) == 0 ? 0 : rng.NextDouble() - 0.5;
                }

                double form = 0, scale = 0;
                for (var i = 0; i < assets; i++)
                {
                    scale += Math.Abs(d[i]) * Math.Sqrt(Finite(expected[i, i]));
                    for (var j = 0; j < assets; j++)
                    {
                        form += d[i] * Finite(expected[i, j]) * d[j];
                    }
                }

                Assert.AreEqual(form, rolling.Quadratic(d), Tolerance * scale * scale, $"bar {bar}");
            }

            d[0] = double.NaN;
            Assert.IsTrue(double.IsNaN(rolling.Quadratic(d)), "a NaN entry makes the form NaN");
        }, iter: 100, seed: PropertySeed.Or("0N0XIzNsQ0O2"));
    }

    [TestMethod]
    public void CopyTo_BeforeMoveTo_Throws()
    {
        var rolling = new RollingRiskEstimator(new RiskEstimator(10), TestPanels.RandomWalk(1, 3, 50));
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => rolling.CopyTo(new double[9], new double[3]));
        Assert.Contains("MoveTo", error.Message);
        Assert.Contains("MoveTo", Assert.ThrowsExactly<InvalidOperationException>(() => rolling.Quadratic(new double[3])).Message);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => rolling.MoveTo(50));
    }

    private static double Finite(double x) => double.IsFinite(x) ? x : 0;

    private static int Moved(RollingRiskEstimator rolling, int bar)
    {
        rolling.MoveTo(bar);
        return rolling.Bar;
    }

    private static PricePanel Panel(int seed, int assets, int bars, bool frozen, int window)
    {
        var panel = TestPanels.RandomWalk(seed, assets, bars);
        if (!frozen)
        {
            return panel;
        }

        // The last asset's price stays put for window + 15 bars from bar 40: every return in some windows is exactly 0.
        var close = Enumerable.Range(0, assets).Select(a => panel.Close(a).ToArray()).ToArray();
        var last = close[assets - 1];
        for (var t = 41; t < Math.Min(bars, 41 + window + 15); t++)
        {
            last[t] = last[40];
        }

        return new PricePanel(panel.Timestamps.ToArray(), panel.Assets.ToArray(), panel.Interval, close);
    }

    private static void AssertSame(RiskEstimate expected, RollingRiskEstimator rolling, string where)
    {
        var n = expected.AssetCount;
        var actual = rolling.Estimate(rolling.Bar);
        for (var i = 0; i < n; i++)
        {
            var scaleI = Math.Sqrt(Math.Abs(expected[i, i]));
            var e = expected.ExpectedReturns[i];
            var a = actual.ExpectedReturns[i];
            Assert.AreEqual(double.IsNaN(e), double.IsNaN(a), $"{where}: expected return {i} NaN");
            if (!double.IsNaN(e))
            {
                Assert.AreEqual(e, a, Tolerance * Math.Max(Math.Abs(e), scaleI), $"{where}: expected return {i}");
            }

            for (var j = 0; j < n; j++)
            {
                var (x, y) = (expected[i, j], actual[i, j]);
                Assert.AreEqual(double.IsNaN(x), double.IsNaN(y), $"{where}: [{i}, {j}] NaN");
                if (!double.IsNaN(x))
                {
                    Assert.AreEqual(x, y, Tolerance * Math.Sqrt(Math.Abs(expected[i, i] * expected[j, j])), $"{where}: covariance [{i}, {j}]");
                }
            }
        }
    }
}
