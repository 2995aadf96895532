using Microsoft.Extensions.Time.Testing;
using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Live;

/// <summary>
/// The one composition on its two clocks: the backtester and the live clock (<see cref="LiveRebalancer"/>, state saved
/// between runs) over the same market path decide the same, and guards stop due TWAP slices as well as new decisions.
/// </summary>
[TestClass]
public sealed class LiveCompositionTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("cost-band")]
    [DataRow("calendar:7")]
    public async Task LiveRebalancer_SameMarketPathAsBacktest_SameDecisionsGuardResultsAndTrades(string policyText)
    {
        var panel = ReplayMarket.Panel();
        var market = ReplayMarket.Market(panel);
        var policy = PolicySpec.Parse(policyText).Unscreened();
        // Both read reference prices through the same source, so both records carry its hygiene guard beside the others.
        var reference = new PanelReferencePrices(panel, ReplayMarket.Assets, Some.Quote);
        var options = new BacktestOptions { StartBar = ReplayMarket.StartBar, Guards = ReplayMarket.Guards(), Benefit = ReplayMarket.Benefit, Reference = reference };
        var backtest = await new Backtester(market, options).RunAsync(new FixedTargets([0.6, 0.4]), policy, TestContext.CancellationToken);

        // Live: the same path through a venue the live clock only sees bar by bar, starting from the backtest's holdings after bar 0.
        var clock = new FakeTimeProvider(CloseOf(panel, ReplayMarket.StartBar - 8));
        var venue = new SimulatedVenue(panel, ReplayMarket.VenueOptions, market.CostModel, market.Gas, clock);
        var pipeline = new RebalancePipeline(venue, ReplayMarket.PipelineOptions(market, policy), reference);
        var holdings = Quantities(backtest, 0);
        var statePath = Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), $"live-state-{Guid.NewGuid():N}.json");
        var live = new LiveRebalancer(pipeline, _ => Task.FromResult(holdings), reference, statePath);
        for (var t = ReplayMarket.StartBar - 8; t <= ReplayMarket.StartBar; t++)
        {
            clock.SetUtcNow(CloseOf(panel, t));
            await live.ObserveAsync(TestContext.CancellationToken);
        }

        // The live keeper takes over after bar 0 (the backtest's initial investment, which fits in that bar: the pools are deep then).
        Assert.IsTrue(backtest.Trades.Where(t => t.Bar == 0).Any() && backtest.Details[0].Trade);
        var state = live.LoadState();
        state.NextBar = 1;
        state.Save(statePath);

        var liveDecisions = new List<RebalanceDecision>();
        var liveFills = new List<(int Bar, SwapFill Fill)>();
        for (var i = 1; i < backtest.BarCount; i++)
        {
            clock.SetUtcNow(CloseOf(panel, ReplayMarket.StartBar + i));
            var run = await live.RunAsync(ReplayMarket.Assets, new Dictionary<string, double> { ["BTC"] = 0.6, ["ETH"] = 0.4 }, TestContext.CancellationToken);
            Assert.AreEqual(i, run.Bar);
            holdings = run.Step.Holdings;
            liveDecisions.Add(run.Step.Decision);
            liveFills.AddRange(run.Step.Fills.Select(f => (i, f)));
        }

        var backDecisions = backtest.Details.Skip(1).ToList();
        Assert.HasCount(backDecisions.Count, liveDecisions);
        for (var k = 0; k < liveDecisions.Count; k++)
        {
            var (b, l) = (backDecisions[k], liveDecisions[k]);
            Assert.AreEqual(b.Trade, l.Trade, $"bar {k + 1}: {b.Explanation} | {l.Explanation}");
            Assert.AreEqual(b.Reason, l.Reason, $"bar {k + 1}");
            Assert.AreEqual(string.Join("; ", b.Guards.Select(g => $"{g.Guard}:{g.Fired}")), string.Join("; ", l.Guards.Select(g => $"{g.Guard}:{g.Fired}")), $"bar {k + 1}");
            for (var g = 0; g < b.Guards.Count; g++)
            {
                Assert.AreEqual(b.Guards[g].Value, l.Guards[g].Value, Math.Max(1e-9, Math.Abs(b.Guards[g].Value) * 1e-9), $"bar {k + 1} {b.Guards[g].Guard}");
            }
        }

        var backFills = backtest.Trades.Where(t => t.Bar > 0).ToList();
        Assert.HasCount(backFills.Count, liveFills);
        for (var k = 0; k < backFills.Count; k++)
        {
            var (b, (bar, l)) = (backFills[k], liveFills[k]);
            Assert.AreEqual((b.Bar, b.AssetIn, b.AssetOut), (bar, l.Order.AssetIn, l.Order.AssetOut), $"fill {k}");
            Assert.AreEqual((double)b.AmountIn, (double)l.AmountIn, (double)b.AmountIn * 1e-9, $"fill {k} amount in");
            Assert.AreEqual((double)b.AmountOut, (double)l.AmountOut, (double)b.AmountOut * 1e-9, $"fill {k} amount out");
        }

        // The path exercises what it is meant to: both market guards fire, and a plan spans two or more bars after bar 0.
        var fired = liveDecisions.SelectMany(d => d.FiredGuards).Select(g => g.Guard).ToHashSet();
        TestContext.WriteLine($"{liveDecisions.Count(d => d.Trade)} trades, {liveFills.Count} fills; fired: {string.Join(", ", fired)}");
        Assert.Contains("volatility", fired);
        Assert.Contains("liquidity", fired);
        Assert.IsTrue(liveDecisions.Any(d => d.Trade), "the policy trades on the path");
        if (policyText.StartsWith("calendar", StringComparison.Ordinal))
        {
            // Between calendar dates nothing new is decided, so fills on a no-trade bar are a pending plan's later slices.
            var sliceBars = liveFills.Select(f => f.Bar).Where(b => !liveDecisions[b - 1].Trade).Distinct().ToList();
            TestContext.WriteLine($"slices sent at bars {string.Join(", ", sliceBars)}");
            Assert.IsGreaterThanOrEqualTo(2, sliceBars.Count, "a plan's slices go out over two or more later bars");
        }
    }

    private static DateTimeOffset CloseOf(PricePanel panel, int bar) => panel.Timestamps[bar] + panel.Interval.Length;

    private static Holdings Quantities(BacktestResult result, int bar)
    {
        var q = result.QuantitiesAt(bar);
        var map = new Dictionary<string, decimal>(StringComparer.Ordinal);
        for (var a = 0; a < result.Assets.Count; a++)
        {
            map[result.Assets[a]] = (decimal)q[a];
        }

        map[Some.Quote] = (decimal)q[result.Assets.Count];
        return new Holdings(map);
    }
}
