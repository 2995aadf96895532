using CsCheck;
using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Rebalancing.Policies;
using Predictive.Core.Tests.Features;
using Predictive.Core.Venues;
using Predictive.Tests.Shared;

namespace Predictive.Core.Tests.Backtesting;

/// <summary>
/// The cost-aware search's shortcut: <c>FastRebalancer.SellsRuleOutEveryCandidate</c> may only say yes when the search's
/// own floor check (a candidate's benefit K(1 − α²) less the larger of one swap's gas and <c>SellCostFloor</c> at most the
/// minimum net benefit) passes every grid point over. The property test prints CsCheck's seed on failure; export CsCheck_Seed to replay it.
/// </summary>
[TestClass]
public sealed class FastRebalancerTests
{
    [TestMethod]
    public void SellsRuleOutEveryCandidate_AnyDriftAndBenefit_TrueOnlyWhenTheSellFloorPassesOverEveryGridPoint()
    {
        // Weights drawn at random around a target (1/N or random), values from 10³ to 10⁸, benefits K from far below to
        // far above the fees, grids of 1 to 40 points, minimum net benefits from 0 to 100, pools from thin to deep.
        decimal[] depths = [200_000m, 10_000_000m, 500_000_000m];
        var cases = Gen.Select(Gen.Int[2, 12], Gen.Int[1, 100_000], Gen.Double[3, 8], Gen.Double[-4, 2], Gen.Int[1, 40], Gen.Double[0, 100], Gen.Int[0, 2], Gen.Bool);
        var yes = 0;
        var total = 0;
        cases.Sample((n, seed, logValue, logBenefit, grid, minNet, depth, equalTarget) =>
        {
            var market = new BacktestMarket(TestPanels.RandomWalk(seed, n, 40), venue: new SimulatedVenueOptions { FixedDepthQuote = depths[depth] });
            var fast = FastRebalancer.TryCreate(market, new BacktestOptions())!;
            var rng = new Random(seed);
            var target = Weights(rng, n, equalTarget);
            var current = Weights(rng, n, false);
            var value = Math.Pow(10, logValue);
            // K relative to the fees of moving the whole drift: 10⁻⁴ to 10² times them.
            var drift = 0.0;
            for (var a = 0; a < n; a++)
            {
                drift += Math.Abs(current[a] - target[a]);
            }

            var k0 = Math.Pow(10, logBenefit) * drift * value * 0.003;
            var t = 20;
            total++;
            if (!fast.SellsRuleOutEveryCandidate(t, current, target, value, k0, grid, minNet))
            {
                return;
            }

            yes++;
            AssertSellFloorPassesOverEveryGridPoint(market, fast, t, current, target, value, k0, grid, minNet);
        }, iter: 2_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));

        // The shortcut is worth having only if it answers often; a shortcut that never says yes would pass the loop above.
        Assert.IsGreaterThan(total / 10, yes, $"{yes} of {total} cases ruled out at once");
    }

    [TestMethod]
    public void SellsRuleOutFromTotals_AnyDriftCashAndBenefit_TrueOnlyWhereThePassAndTheSellFloorRuleEveryCandidateOut()
    {
        // Weights drawn around a target (1/N or random) with −5 to 30 % of the value in the quote asset, drifts from 10⁻⁴ of
        // the value (every gap below the minimum trade) to whole weights, values from 10³ to 10⁸, benefits from far below
        // to far above the fees, grids of 1 to 40 points, pools from thin (gaps cut to the slice cap) to deep: whenever the
        // O(1) answer from the drift's totals is yes, the pass over the assets says yes and the search's own floor check
        // passes over every grid point.
        decimal[] depths = [200_000m, 10_000_000m, 500_000_000m];
        var cases = Gen.Select(Gen.Int[2, 12], Gen.Int[1, 100_000], Gen.Double[3, 8], Gen.Double[-4, 2], Gen.Int[1, 40], Gen.Double[0, 100], Gen.Int[0, 2], Gen.Double[-4, 0]);
        int yes = 0, passYes = 0;
        cases.Sample((n, seed, logValue, logBenefit, grid, minNet, depth, logDrift) =>
        {
            var market = new BacktestMarket(TestPanels.RandomWalk(seed, n, 40), venue: new SimulatedVenueOptions { FixedDepthQuote = depths[depth] });
            var fast = FastRebalancer.TryCreate(market, new BacktestOptions())!;
            var rng = new Random(seed);
            var target = Weights(rng, n, rng.Next(2) == 0);
            var value = Math.Pow(10, logValue);
            // Cash from a 5 % overdraft (the assets then weigh more than 1) to 30 % of the value, or none.
            var cash = value * ((0.35 * rng.NextDouble()) - 0.05) * rng.Next(2);
            // The assets' weights: the target's, moved by up to 10^logDrift each, scaled to hold 1 less the cash's share.
            var current = new double[n];
            for (var a = 0; a < n; a++)
            {
                current[a] = Math.Max(0, target[a] + (Math.Pow(10, logDrift) * ((2 * rng.NextDouble()) - 1)));
            }

            var held = current.Sum();
            for (var a = 0; a < n; a++)
            {
                current[a] *= (value - cash) / value / held;
            }

            var (l1, maxAbs) = BarMath.Drift(current, target);
            // Σ(wᵢ − w*ᵢ) as the backtester forms it, from the cash rather than from the weights.
            var net = ((value - cash) / value) - target.Sum();
            var k0 = Math.Pow(10, logBenefit) * l1 * value * 0.003;
            var t = 20;
            var pass = fast.SellsRuleOutEveryCandidate(t, current, target, value, k0, grid, minNet);
            passYes += pass ? 1 : 0;
            if (!fast.SellsRuleOutFromTotals(t, value, l1, maxAbs, net, n, k0, grid, minNet))
            {
                return;
            }

            yes++;
            Assert.IsTrue(pass, $"the totals ruled every candidate out (K {k0}, value {value}, L1 {l1}), the pass over the assets did not");
            AssertSellFloorPassesOverEveryGridPoint(market, fast, t, current, target, value, k0, grid, minNet);
        }, iter: 3_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));

        // Worth having only if it answers for most of the cases the pass rules out; one that never says yes would pass the loop.
        Assert.IsGreaterThan(passYes / 2, yes, $"the totals answered {yes} of the {passYes} cases the pass ruled out");
    }

    [TestMethod]
    public void PlansNothing_AnyHoldingsNearTheTarget_TrueOnlyWhenThePlanPlacesNoSwap()
    {
        // Holdings up to 1.3 floors off a target (1/N or random) in either direction, sometimes exactly on it, with cash from
        // none to enough for several buys, values from 10³ to 10¹¹, a minimum trade of 50 or none: whenever PlansNothing says yes
        // the planner's own plan places no swap at any bar, and it says yes on most bars whose plan is empty.
        var cases = Gen.Select(Gen.Int[2, 12], Gen.Int[1, 100_000], Gen.Double[3, 11], Gen.Double[0, 1.3], Gen.Int[0, 3], Gen.Bool, Gen.Bool);
        int empty = 0, answered = 0, total = 0;
        cases.Sample((n, seed, logValue, offFloors, cashMode, equalTarget, dustFloor) =>
        {
            var (market, fast, rng, target) = NearTheFloor(seed, n, dustFloor, equalTarget);
            var t = PricedBar;
            var p = market.Prices(t);
            var value = Math.Pow(10, logValue);
            var floor = Math.Max((double)market.PlannerOptions.MinTradeQuote, value * 1e-9);
            double[] cashOf = [0, market.GasPerSwapQuote(t) * rng.NextDouble(), floor * 3 * rng.NextDouble(), value * 0.01];
            var cash = cashOf[cashMode];
            var qty = new double[n];
            for (var a = 0; a < n; a++)
            {
                // The gap to the target in floors: within ±offFloors, a tenth of the assets exactly on it.
                var gap = rng.Next(10) == 0 ? 0 : offFloors * floor * ((2 * rng.NextDouble()) - 1);
                qty[a] = Math.Max(0, (target[a] * (value - cash)) - gap) / p[a];
            }

            total++;
            var swaps = fast.PlannedSwaps(t, target, qty, cash);
            empty += swaps == 0 ? 1 : 0;
            if (!fast.PlansNothing(t, target, qty, cash, BarMath.Value(qty, market.Prices(t), cash)))
            {
                return;
            }

            answered++;
            Assert.AreEqual(0, swaps, $"PlansNothing said yes, but the plan places {swaps} swap(s)");
        }, iter: 3_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));

        Assert.IsGreaterThan(total / 10, empty, $"{empty} of {total} plans were empty");
        Assert.IsGreaterThan(empty / 2, answered, $"PlansNothing answered {answered} of the {empty} empty plans");
    }

    [TestMethod]
    public void QuietAt_AnyHoldingsNearTheFloor_TrueWhenEveryGapIsClearlyBelowItNeverWithOneAtItAndThenNoSwap()
    {
        // Holdings whose gaps to a target (1/N or random) reach up to 1.05 floors, a third of the cases with one gap put
        // within 10⁻¹³ of the floor, cash within half a floor of none, values from 10³ to 10¹¹, a minimum
        // trade of 50 or none (the dust floor, 10⁻⁹ of the value, where the value's rounding matters most). The gaps are
        // checked in decimal from the holdings, not from the weights. QuietAt keeps a margin of 2·10⁻¹² of the value, 0.2 %
        // of a dust floor, so "clearly below" is below 0.99 of the floor.
        var cases = Gen.Select(Gen.Int[2, 24], Gen.Int[1, 100_000], Gen.Double[3, 11], Gen.Double[0, 1.05], Gen.Int[0, 2], Gen.Bool, Gen.Bool);
        int clearlyQuiet = 0, clearlyQuietAtDust = 0;
        cases.Sample((n, seed, logValue, offFloors, edge, equalTarget, dustFloor) =>
        {
            var (market, fast, rng, target) = NearTheFloor(seed, n, dustFloor, equalTarget);
            var t = PricedBar;
            var p = market.Prices(t);
            var value0 = Math.Pow(10, logValue);
            var floor0 = Math.Max((double)market.PlannerOptions.MinTradeQuote, value0 * 1e-9);
            // Cash within half a floor either side of none (an overdraft included): more would be a buy of w*ᵢ·cash.
            var cash = floor0 * (rng.NextDouble() - 0.5) * rng.Next(2);
            var qty = new double[n];
            for (var a = 0; a < n; a++)
            {
                // The assets hold the value less the cash, each off its share by the gap.
                var gap = offFloors * floor0 * ((2 * rng.NextDouble()) - 1);
                qty[a] = Math.Max(0, (target[a] * (value0 - cash)) - gap) / p[a];
            }

            if (edge == 0)
            {
                // One gap, a buy or a sell, within 10⁻¹³ of the floor of the value it makes: only the margins tell it apart.
                // With the rest R held fixed, V = R + qₐpₐ and the gap w*ₐV − qₐpₐ = g give qₐ = (w*ₐR − g)/(pₐ(1 − w*ₐ)).
                var a = rng.Next(n);
                var rest = cash;
                for (var b = 0; b < n; b++)
                {
                    rest += b == a ? 0 : qty[b] * p[b];
                }

                var (side, off, v) = (rng.Next(2) == 0 ? 1.0 : -1.0, 1 + (1e-13 * ((2 * rng.NextDouble()) - 1)), value0);
                for (var k = 0; k < 3; k++)
                {
                    var g = side * Math.Max((double)market.PlannerOptions.MinTradeQuote, v * 1e-9) * off;
                    qty[a] = Math.Max(0, ((target[a] * rest) - g) / (p[a] * (1 - target[a])));
                    v = rest + (qty[a] * p[a]);
                }
            }

            var w = new double[n];
            var value = BarMath.Mark(qty, p, cash, w);
            var (_, maxAbs) = BarMath.Drift(w, target);
            var floor = (decimal)Math.Max((double)market.PlannerOptions.MinTradeQuote, value * 1e-9);
            var largestGap = 0m;
            for (var a = 0; a < n; a++)
            {
                largestGap = Math.Max(largestGap, Math.Abs(((decimal)target[a] * (decimal)value) - ((decimal)qty[a] * (decimal)p[a])));
            }

            var answer = fast.QuietAt(t, value, maxAbs);
            if (largestGap < floor * 0.99m)
            {
                clearlyQuiet++;
                clearlyQuietAtDust += dustFloor && value > 5e10 ? 1 : 0;
                Assert.IsTrue(answer, $"every gap is below 0.99 of the floor {floor} (largest {largestGap}), QuietAt said no");
            }

            if (!answer)
            {
                return;
            }

            Assert.IsLessThan(floor, largestGap, $"QuietAt said yes with a gap of {largestGap} against the floor {floor}");
            Assert.AreEqual(0, fast.PlannedSwaps(t, target, qty, cash), "QuietAt said yes, but the plan places swaps");
        }, iter: 3_000, seed: PropertySeed.Or("0N0XIzNsQ0O2"));

        // The yes must be reached, and at the dust floor of large values too, where the margin is tightest.
        Assert.IsGreaterThan(100, clearlyQuiet, $"only {clearlyQuiet} cases had every gap clearly below the floor");
        Assert.IsGreaterThan(20, clearlyQuietAtDust, $"only {clearlyQuietAtDust} of them at the dust floor of a value above 5·10¹⁰");
    }

    [TestMethod]
    public void QuietAt_UnpricedAssetNoValueOrUnknownDrift_False()
    {
        var panel = TestPanels.RandomWalk(7, 3, 40);
        var market = new BacktestMarket(panel);
        var fast = FastRebalancer.TryCreate(market, new BacktestOptions())!;
        Assert.IsTrue(fast.QuietAt(35, 1_000_000, 1e-9), "a tiny drift of a priced market is quiet");
        Assert.IsFalse(fast.QuietAt(35, 0, 0), "no value");
        Assert.IsFalse(fast.QuietAt(35, -5, 0), "a negative value");
        Assert.IsFalse(fast.QuietAt(35, 1_000_000, double.NaN), "an unknown drift");
        Assert.IsFalse(market.AllPriced(5));
        Assert.IsFalse(fast.QuietAt(5, 1_000_000, 1e-9), "asset 1 lists at bar 13: unpriced at bar 5");
    }

    [TestMethod]
    [DataRow(3, DisplayName = "3 assets: every price read one at a time")]
    [DataRow(8, DisplayName = "8 assets: the unpriced one read 4 at a time")]
    public void PlannedSwaps_AnAssetWithoutAPrice_MinusOneWhereAFullyPricedBarPlans(int n)
    {
        // Asset 1 of the test panel lists at bar 13: at bar 5 it has no price, at bar 35 every asset has one.
        var market = new BacktestMarket(TestPanels.RandomWalk(11, n, 40));
        var fast = FastRebalancer.TryCreate(market, new BacktestOptions())!;
        var target = Enumerable.Repeat(1.0 / n, n).ToArray();
        var qty = new double[n];
        Assert.AreEqual(-1, fast.PlannedSwaps(5, target, qty, 100_000));
        Assert.AreEqual(n, fast.PlannedSwaps(PricedBar, target, qty, 100_000), "from cash alone, one buy per asset, each below the impact limit");
    }

    /// <summary>The search's own floor check at every grid point: K(1 − α²) less the larger of one swap's gas and the sell floor is at most the minimum net benefit.</summary>
    private static void AssertSellFloorPassesOverEveryGridPoint(BacktestMarket market, FastRebalancer fast, int t, double[] current, double[] target, double value, double k0, int grid, double minNet)
    {
        fast.PrepareSells(current, target, value);
        for (var step = 0; step < grid; step++)
        {
            var alpha = CostAwareBandPolicy.Alpha(step, grid);
            var net = (k0 * (1 - (alpha * alpha))) - Math.Max(market.GasPerSwapQuote(t), fast.SellCostFloor(t, alpha));
            Assert.IsLessThanOrEqualTo(minNet, net, $"grid point {step} of {grid} (α {alpha}) nets {net} over the sell floor");
        }
    }

    /// <summary>A bar at which every asset of the 40-bar test panel is priced.</summary>
    private const int PricedBar = 35;

    /// <summary>
    /// The near-the-floor tests' setting: a 40-bar test panel of <paramref name="n"/> assets, its fast rebalancer with a
    /// minimum trade of 50 or none (the floor is then the dust floor, 10⁻⁹ of the value, where the value's rounding
    /// matters most), the case's random numbers, and a target (1/N or random).
    /// </summary>
    private static (BacktestMarket Market, FastRebalancer Fast, Random Rng, double[] Target) NearTheFloor(int seed, int n, bool dustFloor, bool equalTarget)
    {
        var market = new BacktestMarket(TestPanels.RandomWalk(seed, n, 40), planner: new TradePlannerOptions { MinTradeQuote = dustFloor ? 0m : 50m });
        var rng = new Random(seed);
        return (market, FastRebalancer.TryCreate(market, new BacktestOptions())!, rng, Weights(rng, n, equalTarget));
    }

    private static double[] Weights(Random rng, int n, bool equal)
    {
        var w = new double[n];
        double sum = 0;
        for (var a = 0; a < n; a++)
        {
            w[a] = equal ? 1 : 0.2 + rng.NextDouble();
            sum += w[a];
        }

        for (var a = 0; a < n; a++)
        {
            w[a] /= sum;
        }

        return w;
    }
}
