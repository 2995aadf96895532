using CsCheck;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Tests.Shared;

namespace Predictive.Core.Tests.Features;

/// <summary>
/// <see cref="CarriedFormCeiling"/> against the two-pass <see cref="RiskEstimator"/> and the rolling estimate on the same
/// panel, bar and drift: wherever the ceiling is a number it is at least the rolling form (the one a backtest's decision
/// reads) and the two-pass form (to 1e-9 of (Σ|dᵢ|·√Σᵢᵢ)², the estimates' own agreement), and it is NaN wherever the
/// window holds a missing return. The property test prints
/// CsCheck's seed on failure; export CsCheck_Seed to replay it.
/// </summary>
[TestClass]
public sealed class CarriedFormCeilingTests
{
    private const double Tolerance = 1e-9;

    [TestMethod]
    public void QuadraticCeiling_AnyPathOfDriftsAndCarries_NeverBelowTheTwoPassOrRollingForm()
    {
        // Panels with a late listing, a NaN gap, forward-filled bars and (optionally) a price frozen for longer than the
        // window; windows from 2; drifts that wander (small steps, now and then a jump) and are carried afresh now and
        // then; bar paths that step, jump beyond the window (which drops the carried drift) and go back.
        int complete = 0, answered = 0;
        var cases = Gen.Select(Gen.Int[1, 100_000], Gen.Int[1, 9], Gen.Int[2, 40], Gen.Bool, Gen.Int[1, 100_000]);
        cases.Sample((seed, assets, window, frozen, pathSeed) =>
        {
            var panel = RollingRiskEstimatorTests.Panel(seed, assets, 220, frozen, window);
            var reference = new RiskEstimator(window, meanShrinkage: 0.3);
            var rolling = new RollingRiskEstimator(reference, panel);
            var ceiling = new CarriedFormCeiling(reference, panel);
            var rng = new Random(pathSeed);
            var (d, zero) = (new double[assets], new double[assets]);
            for (var a = 0; a < assets; a++)
            {
                d[a] = rng.NextDouble() - 0.5;
            }

            var bar = 0;
            while (bar < panel.BarCount)
            {
                ceiling.MoveTo(bar);
                for (var a = 0; a < assets; a++)
                {
                    d[a] = rng.Next(60) == 0 ? rng.NextDouble() - 0.5 : d[a] + (0.01 * (rng.NextDouble() - 0.5));
                }

                if (!ceiling.Carrying || rng.Next(12) == 0)
                {
                    ceiling.Carry(d, zero);
                }

                var bound = ceiling.QuadraticCeiling(d, zero);
                var whole = WholeWindow(panel, bar, window);
                if (!whole)
                {
                    Assert.IsTrue(double.IsNaN(bound), $"bar {bar}: the window holds a missing return, yet the ceiling is {bound}");
                }
                else
                {
                    complete++;
                    answered += double.IsNaN(bound) ? 0 : 1;
                }

                if (!double.IsNaN(bound))
                {
                    var (form, scale) = RollingRiskEstimatorTests.Form(reference.Estimate(panel, bar), d);
                    Assert.IsGreaterThanOrEqualTo(form - (Tolerance * scale * scale), bound, $"bar {bar}: the ceiling {bound} is below the two-pass form {form}");
                    rolling.MoveTo(bar);
                    var exact = rolling.Quadratic(d);
                    Assert.IsGreaterThanOrEqualTo(exact, bound, $"bar {bar}: the ceiling {bound} is below the rolling form {exact}");
                }

                bar += rng.Next(25) switch
                {
                    0 => -rng.Next(0, Math.Min(bar, 30) + 1), // back (summed afresh)
                    1 => rng.Next(window + 1, (2 * window) + 2), // beyond the window (summed afresh)
                    2 => rng.Next(2, window + 1), // a few bars at once
                    _ => 1,
                };
                bar = Math.Max(bar, 0);
            }
        }, iter: 150, seed: PropertySeed.Or("0N0XIzNsQ0O2"));

        // A ceiling that is never a number would pass the loop above: it must answer on most whole windows.
        Assert.IsGreaterThan(complete * 9 / 10, answered, $"the ceiling answered on {answered} of {complete} whole windows");
    }

    [TestMethod]
    public void QuadraticCeiling_NearlyConstantNonzeroReturns_IsNaN()
    {
        // The last asset's price grows by the same factor every bar: its log returns are one number to rounding, so an
        // estimate's variance for it is rounding and its correlations are noise; the ceiling declines on every whole window.
        var random = TestPanels.RandomWalk(7, 3, 120);
        var close = Enumerable.Range(0, 3).Select(a => random.Close(a).ToArray()).ToArray();
        for (var t = 0; t < 120; t++)
        {
            close[2][t] = 100 * Math.Exp(0.001 * t);
        }

        var panel = new PricePanel(random.Timestamps.ToArray(), random.Assets.ToArray(), random.Interval, close);
        var ceiling = new CarriedFormCeiling(new RiskEstimator(20), panel);
        double[] d = [0.1, -0.05, -0.05], zero = [0, 0, 0];
        for (var bar = 21; bar < 120; bar++)
        {
            ceiling.MoveTo(bar);
            ceiling.Carry(d, zero);
            Assert.IsTrue(double.IsNaN(ceiling.QuadraticCeiling(d, zero)), $"bar {bar}");
        }
    }

    [TestMethod]
    public void QuadraticCeiling_BeforeMoveToOrWrongLength_Throws()
    {
        var ceiling = new CarriedFormCeiling(new RiskEstimator(10), TestPanels.RandomWalk(1, 3, 50));
        Assert.Contains("MoveTo", Assert.ThrowsExactly<InvalidOperationException>(() => ceiling.QuadraticCeiling(new double[3], new double[3])).Message);
        ceiling.MoveTo(20);
        Assert.Contains("3 values", Assert.ThrowsExactly<ArgumentException>(() => ceiling.QuadraticCeiling(new double[2], new double[3])).Message);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ceiling.MoveTo(50));
    }

    /// <summary>Whether every log return of the window ending at <paramref name="bar"/> is a number, written out from the closes.</summary>
    private static bool WholeWindow(PricePanel panel, int bar, int window)
    {
        if (bar - window + 1 < 1)
        {
            return false;
        }

        for (var a = 0; a < panel.AssetCount; a++)
        {
            var close = panel.Close(a);
            for (var k = bar - window + 1; k <= bar; k++)
            {
                if (!double.IsFinite(Math.Log(close[k]) - Math.Log(close[k - 1])))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
