using Microsoft.Extensions.Time.Testing;
using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Live;

/// <summary>
/// A pool pushed away from the reference price, on the live clock: the simulated venue's pools follow a panel in which
/// BTC is 36 % higher from one bar on, while the reference prices come from the unmanipulated data through the seam.
/// </summary>
[TestClass]
public sealed class ManipulationTests
{
    private const int Bars = 100;
    private const double Pump = 1.36;
    private static readonly string[] Assets = ["BTC", "ETH"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_PoolPumped36Percent_NoTradeReasonNamesDeviationGuardAndHoldingsUnchanged()
    {
        var (honest, pumped) = Panels(pumpFrom: Bars - 1);
        var held = new Holdings(new Dictionary<string, decimal> { ["BTC"] = 1m, ["ETH"] = 20m, [Some.Quote] = 10_000m });
        var (live, clock) = Live(honest, pumped, PolicySpec.CostAware(), held);
        clock.SetUtcNow(CloseOf(honest, Bars - 1));

        var run = await live.RunAsync(Assets, new Dictionary<string, double> { ["BTC"] = 0.7, ["ETH"] = 0.3 }, TestContext.CancellationToken);

        var expectedBps = (Pump - 1) * 10_000;
        var guard = run.Step.Decision.Guards.Single(g => g.Guard == "price-deviation");
        Assert.IsTrue(guard.Fired);
        Assert.AreEqual("BTC", guard.Asset);
        Assert.AreEqual(expectedBps, guard.Value, 1e-6);
        Assert.IsFalse(run.Step.Decision.Trade);
        Assert.AreEqual(DecisionReason.GuardFired, run.Step.Decision.Reason);
        StringAssert.Contains(run.Step.Decision.Explanation, "price-deviation");
        StringAssert.Contains(run.Step.Decision.Explanation, "3600.0 bps");
        Assert.IsEmpty(run.Step.Fills);
        CollectionAssert.AreEquivalent(held.Quantities.ToList(), run.Step.Holdings.Quantities.ToList());
    }

    [TestMethod]
    public async Task RunAsync_PoolPumpedAfterFirstSlice_SecondSliceNotSentWithGuardReason()
    {
        var (honest, pumped) = Panels(pumpFrom: Bars - 1);
        var holdings = new Holdings(new Dictionary<string, decimal> { [Some.Quote] = 100_000m });
        var (live, clock) = Live(honest, pumped, PolicySpec.Calendar(100), holdings, () => holdings);
        var targets = new Dictionary<string, double> { ["BTC"] = 0.6, ["ETH"] = 0.4 };

        clock.SetUtcNow(CloseOf(honest, Bars - 2));
        var first = await live.RunAsync(Assets, targets, TestContext.CancellationToken);
        holdings = first.Step.Holdings;
        Assert.IsTrue(first.Step.Decision.Trade);
        Assert.IsGreaterThan(1, first.Step.Plan!.BarCount, "the thin pools split the buy into slices over several bars");
        var btcBefore = holdings.Quantity("BTC");

        clock.SetUtcNow(CloseOf(honest, Bars - 1));
        var second = await live.RunAsync(Assets, targets, TestContext.CancellationToken);

        Assert.IsFalse(second.Step.Decision.Trade, "not a calendar date: only the pending slices were due");
        Assert.IsEmpty(second.Step.Fills);
        Assert.AreEqual(btcBefore, second.Step.Holdings.Quantity("BTC"));
        var fired = second.Step.SliceGuards.Single(g => g.Fired);
        Assert.AreEqual(("price-deviation", "BTC"), (fired.Guard, fired.Asset));
        var note = second.Step.Slices!.Notes.Single();
        StringAssert.Contains(note, "USDC→BTC slice 2 of");
        StringAssert.Contains(note, "not sent: blocked by guard (price-deviation");
        StringAssert.Contains(note, "3600.0 bps");
    }

    /// <summary>Honest closes (a seeded walk) and the same with BTC ×1.36 from <paramref name="pumpFrom"/> on.</summary>
    private static (PricePanel Honest, PricePanel Pumped) Panels(int pumpFrom)
    {
        var random = new Random(36);
        var closes = new double[2][];
        double[] start = [40_000, 2_500];
        for (var a = 0; a < 2; a++)
        {
            closes[a] = new double[Bars];
            var p = start[a];
            for (var t = 0; t < Bars; t++)
            {
                p *= Math.Exp((random.NextDouble() - 0.5) * 0.04);
                closes[a][t] = p;
            }
        }

        var pumped = closes.Select((c, a) => c.Select((p, t) => a == 0 && t >= pumpFrom ? p * Pump : p).ToArray()).ToArray();
        return (Some.Panel(Assets, closes), Some.Panel(Assets, pumped));
    }

    private static (LiveRebalancer Live, FakeTimeProvider Clock) Live(PricePanel honest, PricePanel pumped, PolicySpec policy, Holdings held, Func<Holdings>? holdings = null)
    {
        var clock = new FakeTimeProvider(CloseOf(honest, 0));
        var costs = SwapCostOptions.Default;
        var venue = new SimulatedVenue(pumped, new SimulatedVenueOptions { QuoteAsset = Some.Quote, FixedDepthQuote = 2_000_000m }, new SwapCostModel(costs), GasMarket.Constant(costs), clock);
        var reference = new PanelReferencePrices(honest, Assets, Some.Quote);
        var pipeline = new RebalancePipeline(venue, new RebalancePipelineOptions { Policy = policy, Guards = ReplayMarket.Guards(), Costs = costs }, reference);
        var read = holdings ?? (() => held);
        var path = Path.Combine(Path.GetTempPath(), $"live-state-{Guid.NewGuid():N}.json");
        return (new LiveRebalancer(pipeline, _ => Task.FromResult(read()), reference, path), clock);
    }

    private static DateTimeOffset CloseOf(PricePanel panel, int bar) => panel.Timestamps[bar] + panel.Interval.Length;
}
