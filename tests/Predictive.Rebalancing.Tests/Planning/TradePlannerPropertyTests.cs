using CsCheck;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;
using Predictive.Tests.Shared;

namespace Predictive.Rebalancing.Tests.Planning;

/// <summary>Planner invariants over random portfolios, prices, pool depths and targets.</summary>
[TestClass]
public sealed class TradePlannerPropertyTests
{
    private static readonly Gen<double[]> Simplex =
        from n in Gen.Int[2, 6]
        from raw in Gen.Double[0, 1].Array[n]
        from zeros in Gen.Bool.Array[n]
        select Normalize(raw, zeros);

    private static readonly Gen<Case> Cases =
        from current in Simplex
        from target in Gen.Double[0, 1].Array[current.Length]
        from zeros in Gen.Bool.Array[current.Length]
        from prices in Gen.Double[0.01, 60_000].Array[current.Length]
        from value in Gen.Double[1_000, 20_000_000]
        from depth in Gen.Double[50_000, 500_000_000]
        from impactBps in Gen.Double[5, 200]
        from minTrade in Gen.Double[0, 500]
        from maxSlices in Gen.Int[1, 30]
        from cash in Gen.Bool
        select new Case(current, Normalize(target, zeros), prices, (decimal)value, (decimal)depth, impactBps, (decimal)minTrade, maxSlices, cash);

    [TestMethod]
    public void Plan_PortfolioOnTarget_PlansNoTrades()
    {
        Cases.Sample(c =>
        {
            var (assets, market) = Setup(c);
            var holdings = Holdings.FromWeights(assets, c.Current, c.Value, market);

            var plan = Planner(c).Plan(market, holdings, assets, c.Current);

            Assert.IsTrue(plan.IsEmpty, $"planned {plan.Swaps.Count} swaps for an on-target portfolio");
        }, iter: 2_000, seed: PropertySeed.Or("3Zf6q0Lr2x0B"));
    }

    [TestMethod]
    public void Plan_AnyCase_NoSliceBreaksALimit()
    {
        Cases.Sample(c =>
        {
            var (assets, market) = Setup(c);
            var holdings = Holdings.FromWeights(assets, c.Current, c.Value, market);
            var planner = Planner(c);

            var plan = planner.Plan(market, holdings, assets, c.Target);

            foreach (var s in plan.Swaps)
            {
                Assert.IsLessThanOrEqualTo(c.ImpactBps, s.Estimate.PriceImpactBps, "impact limit");
                Assert.IsGreaterThanOrEqualTo(c.MinTrade, s.Estimate.NotionalQuote, "minimum trade size");
                Assert.IsLessThan(c.MaxSlices, s.Slice, "slice limit");
                Assert.IsGreaterThanOrEqualTo(s.Estimate.MinAmountOut, s.Estimate.AmountOut, "slippage floor below the quote");
            }

            foreach (var group in plan.Swaps.GroupBy(s => s.Order.AssetIn + ">" + s.Order.AssetOut))
            {
                Assert.IsLessThanOrEqualTo(c.MaxSlices, group.Count(), "slices per order");
                Assert.AreEqual(group.Count(), group.Select(s => s.BarOffset).Distinct().Count(), "one slice per bar");
            }
        }, iter: 2_000, seed: PropertySeed.Or("0aTq9YwX3mKe"));
    }

    [TestMethod]
    public void ExecutePlan_OnSimulatedVenue_ConservesValueMinusCosts()
    {
        Cases.Sample(c =>
        {
            var assets = Symbols(c);
            var panel = Some.ConstantPanel(assets.Where(a => a != Some.Quote).ToArray(), c.Prices[..^(c.Cash ? 1 : 0)], bars: 80);
            var clock = Some.ClockAtCloseOf(0);
            var costs = new SwapCostModel();
            var venue = new SimulatedVenue(panel, new SimulatedVenueOptions { QuoteAsset = Some.Quote, FixedDepthQuote = c.Depth }, costs, GasMarket.Constant(SwapCostOptions.Default), clock);
            var market = venue.GetSnapshotAsync().GetAwaiter().GetResult();
            var holdings = Holdings.FromWeights(assets, c.Current, c.Value, market);
            var before = holdings.ValueQuote(market);
            var planner = Planner(c);
            var plan = planner.Plan(market, holdings, assets, c.Target);
            var executor = new PlanExecutor(venue, costs, planner.Options);
            var fills = new List<SwapFill>();

            for (var offset = 0; offset < plan.BarCount; offset++)
            {
                var result = executor.ExecuteAsync(plan, offset, holdings).GetAwaiter().GetResult();
                holdings = result.Holdings;
                fills.AddRange(result.Fills);
                clock.Advance(TimeSpan.FromDays(1));
            }

            var after = holdings.ValueQuote(venue.GetSnapshotAsync().GetAwaiter().GetResult());
            var charged = fills.Sum(f => f.TotalCostQuote);
            Assert.AreEqual(before - charged, after, (before * 1e-20m) + 1e-12m, "value after = value before − fees − impact − gas");
            Assert.IsTrue(fills.All(f => f.Status == FillStatus.Filled), "no swap reverted");
            Assert.IsGreaterThanOrEqualTo(0m, charged);
            foreach (var (asset, q) in holdings.Quantities)
            {
                // Gas is paid in the quote asset, so only it may dip below zero, by at most the gas spent.
                var floor = asset == Some.Quote ? -fills.Sum(f => f.GasQuote) : 0m;
                Assert.IsGreaterThanOrEqualTo(floor, q, $"{asset} holding");
            }
        }, iter: 300, seed: PropertySeed.Or("1Hw3pNq8cS7d"));
    }

    private static TradePlanner Planner(Case c) =>
        new(new SwapCostModel(), new TradePlannerOptions { MaxPriceImpactBps = c.ImpactBps, MinTradeQuote = c.MinTrade, MaxSlices = c.MaxSlices });

    private static string[] Symbols(Case c) =>
        Enumerable.Range(0, c.Current.Length).Select(i => c.Cash && i == c.Current.Length - 1 ? Some.Quote : $"A{i}").ToArray();

    private static (string[] Assets, VenueSnapshot Market) Setup(Case c)
    {
        var assets = Symbols(c);
        var prices = c.Prices.Select((p, i) => assets[i] == Some.Quote ? 1 : p).ToArray();
        return (assets, Some.Snapshot(assets, prices, c.Depth));
    }

    private static double[] Normalize(double[] raw, bool[] zeros)
    {
        var w = raw.Select((x, i) => zeros[i] && i > 0 ? 0 : x + 1e-3).ToArray();
        var s = w.Sum();
        return w.Select(x => x / s).ToArray();
    }

    internal sealed record Case(double[] Current, double[] Target, double[] Prices, decimal Value, decimal Depth, double ImpactBps, decimal MinTrade, int MaxSlices, bool Cash);
}
