using Predictive.Cli;
using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Venues;
using Predictive.Tests.Shared;

namespace Predictive.Research.Tests.Backtesting;

/// <summary>
/// The rule for assets that stop trading (docs/backtesting.md) on synthetic markets read through the data's gap rule:
/// target 0, a holding kept at its last price, sold when the asset trades again, written off after WriteOffBars.
/// </summary>
[TestClass]
public sealed class DelistingTests
{
    private const int Fill = 5; // MissingDataPolicy.Default.MaxForwardFillBars
    private static readonly string[] Symbols = ["A00", "A01", "A02", "A03"];

    [TestMethod]
    public async Task RunAsync_HeldAssetStopsTrading_ValuedAtLastCloseThenWrittenOffBarByBar()
    {
        const int last = 60, start = 10, writeOff = 20;
        var close = CutMarket.Walk(4, 120, 11);
        var panel = CutMarket.Read(Symbols, close, (a, t) => a != 2 || t <= last);
        var backtester = new Backtester(new BacktestMarket(panel), new BacktestOptions { StartBar = start, InitialValueQuote = 100_000m, WriteOffBars = writeOff });

        var result = await backtester.RunAsync(FixedTargets.Equal(4), PolicySpec.Band(0.5));

        Assert.AreEqual(1, result.RebalanceCount, "precondition: only the initial investment trades, so holdings are those bought at bar 0");
        // Holdings from the fills, not from the backtester's books.
        var qty = Symbols.Select(s => result.Trades.Where(t => t.AssetOut == s).Sum(t => (double)t.AmountOut)).ToArray();
        var cash = 100_000 - result.Trades.Sum(t => (double)(t.AmountIn + t.GasQuote));
        var writtenOffAt = last + Fill + writeOff; // the writeOff-th bar without a price
        for (var i = 0; i < result.BarCount; i++)
        {
            var t = start + i;
            var a02 = t <= last ? close[2][t] : t < writtenOffAt ? close[2][last] : 0;
            var expected = cash + (qty[0] * close[0][t]) + (qty[1] * close[1][t]) + (qty[2] * a02) + (qty[3] * close[3][t]);
            Assert.AreEqual(expected, result.Equity[i], 1e-9 * expected, $"equity at bar {i} (panel bar {t})");
            Assert.AreEqual(qty[2] * a02, result.WeightsAt(i)[2] * result.Equity[i], 1e-9 * expected, $"A02's value at bar {i}");
        }

        var unpriced = result.AssetEvents.Single(e => e.Kind == AssetEventKind.Unpriced);
        Assert.AreEqual(("A02", last + Fill + 1 - start), (unpriced.Asset, unpriced.Bar));
        Assert.AreEqual(close[2][last], unpriced.PriceQuote, 1e-12 * close[2][last]);
        var gone = result.AssetEvents.Single(e => e.Kind == AssetEventKind.WrittenOff);
        Assert.AreEqual(writtenOffAt - start, gone.Bar);
        Assert.AreEqual(qty[2] * close[2][last], gone.ValueQuote, 1e-9 * gone.ValueQuote);
        Assert.AreEqual(0, result.QuantitiesAt(gone.Bar)[2]);
        Assert.AreEqual(0, result.Targets[((last + Fill + 1 - start) * 4) + 2], "no price, target 0");
        StringAssert.Contains(result.Explain(gone.Bar - 1), "A02 has had no price since");
        StringAssert.Contains(result.Explain(gone.Bar - 1), "valued at its last price");
        StringAssert.Contains(result.Explain(gone.Bar), "written off");
    }

    [TestMethod]
    [DataRow("equal")]
    [DataRow("inverse-vol")]
    [DataRow("risk-parity")]
    [DataRow("min-variance")]
    [DataRow("max-sharpe")]
    [DataRow("hrp")]
    [DataRow("models/default/1")]
    public async Task RunAsync_EveryAllocatorWhenAnAssetStopsTrading_GivesItZeroAndKeepsItsLastPrice(string allocator)
    {
        const int last = 220, start = 120;
        var close = CutMarket.Walk(4, 300, 12);
        var panel = CutMarket.Read(Symbols, close, (a, t) => a != 1 || t <= last);
        var result = await RunAllocatorAsync(panel, allocator, start, PolicySpec.Calendar(5));

        var firstUnpriced = last + Fill + 1 - start;
        if (allocator == "equal")
        {
            Assert.IsGreaterThan(0, result.QuantitiesAt(firstUnpriced)[1], "1/N holds the asset when it stops trading");
        }

        AssertRuleHeld(result, 1, close[1][last], firstUnpriced, 20);
        Assert.IsFalse(result.Trades.Any(t => t.Bar >= firstUnpriced && (t.AssetIn == "A01" || t.AssetOut == "A01")), "nothing trades an asset without a price");
    }

    [TestMethod]
    public async Task RunAsync_StrandedAssetTradesAgain_SoldWholeAtItsFirstPricedBar()
    {
        const int last = 60, back = 75, start = 10;
        var close = CutMarket.Walk(4, 120, 13);
        var panel = CutMarket.Read(Symbols, close, (a, t) => a != 2 || t <= last || t >= back);
        var backtester = new Backtester(new BacktestMarket(panel), new BacktestOptions { StartBar = start });

        var result = await backtester.RunAsync(FixedTargets.Equal(4), PolicySpec.Band(0.5));

        var held = result.QuantitiesAt(back - start - 1)[2];
        Assert.IsGreaterThan(0, held);
        var sale = result.Trades.Single(t => t.AssetIn == "A02");
        Assert.AreEqual(back - start, sale.Bar);
        Assert.AreEqual(held, (double)sale.AmountIn, 1e-9 * held);
        Assert.AreEqual(0, result.QuantitiesAt(back - start)[2]);
        Assert.AreEqual(AssetEventKind.StrandedSold, result.AssetEvents.Single(e => e.Bar == back - start && e.Asset == "A02" && e.Kind != AssetEventKind.Repriced).Kind);
        StringAssert.Contains(result.Explain(back - start), "trades again");
        Assert.IsFalse(result.Trades.Any(t => t.AssetOut == "A02" && t.Bar == back - start), "not bought back in the bar it is sold");
    }

    [TestMethod]
    public async Task RunAsync_PendingSlicesOfAnAssetThatStopsTrading_AreSkippedNotSent()
    {
        const int start = 10, last = start + 3;
        var close = CutMarket.Walk(4, 60, 14);
        var panel = CutMarket.Read(Symbols, close, (a, t) => a != 3 || t <= last);
        // Thin pools: the first investment is sliced over the slice limit's 24 bars, most of A03's after it stops trading.
        var market = new BacktestMarket(panel, venue: new SimulatedVenueOptions { FixedDepthQuote = 1_000_000m, MinDepthQuote = 10_000m });
        var backtester = new Backtester(market, new BacktestOptions { StartBar = start, InitialValueQuote = 1_000_000m });

        var result = await backtester.RunAsync(FixedTargets.Equal(4), PolicySpec.Band(0.9));

        var buys = result.Trades.Where(t => t.AssetOut == "A03").ToList();
        Assert.IsNotEmpty(buys);
        Assert.IsTrue(buys.All(t => t.Bar <= last + Fill - start), "no slice into A03 once it has no price");
        Assert.IsGreaterThan(last + Fill - start, result.Trades.Max(t => t.Bar), "the other assets' slices go on");
    }

    [TestMethod]
    public async Task RunAsync_QuoteAssetMissingBars_ItsLastCloseConvertsThePrices()
    {
        const int start = 10;
        string[] symbols = ["A00", "A01", "A02", "USDC"];
        var close = CutMarket.Walk(4, 100, 15);
        close[3] = close[3].Select((_, t) => 1 + (0.001 * Math.Sin(t))).ToArray();
        var panel = CutMarket.Read(symbols, close, (a, t) => a != 3 || t < 50 || t >= 70);
        var backtester = new Backtester(new BacktestMarket(panel), new BacktestOptions { StartBar = start });

        var result = await backtester.RunAsync(FixedTargets.Equal(3), PolicySpec.Band(0.5));

        Assert.AreEqual(1, result.RebalanceCount);
        var qty = symbols.Take(3).Select(s => result.Trades.Where(t => t.AssetOut == s).Sum(t => (double)t.AmountOut)).ToArray();
        var cash = 100_000 - result.Trades.Sum(t => (double)(t.AmountIn + t.GasQuote));
        for (var i = 0; i < result.BarCount; i++)
        {
            var t = start + i;
            var usdc = t is >= 50 and < 70 ? close[3][49] : close[3][t];
            var expected = cash + Enumerable.Range(0, 3).Sum(a => qty[a] * close[a][t] / usdc);
            Assert.AreEqual(expected, result.Equity[i], 1e-9 * expected, $"equity at bar {i}");
        }

        var carried = result.AssetEvents.Single(e => e.Kind == AssetEventKind.QuoteCarried);
        Assert.AreEqual(50 + Fill - start, carried.Bar);
        StringAssert.Contains(result.Explain(carried.Bar + 3), "USDC has no close");
    }

    [TestMethod]
    public async Task RunAsync_AssetListsMidPeriod_TargetZeroUntilItsFirstCloseThenBought()
    {
        const int start = 10, listed = 50;
        var close = CutMarket.Walk(4, 100, 16);
        var panel = CutMarket.Read(Symbols, close, (a, t) => a != 3 || t >= listed);
        var backtester = new Backtester(new BacktestMarket(panel), new BacktestOptions { StartBar = start });

        var result = await backtester.RunAsync(FixedTargets.Equal(4), PolicySpec.Calendar(1));

        for (var i = 0; i < result.BarCount; i++)
        {
            var expected = start + i < listed ? 0 : 0.25;
            Assert.AreEqual(expected, result.Targets[(i * 4) + 3], 1e-12, $"A03's target at bar {i}");
        }

        Assert.AreEqual(listed - start, result.Trades.Where(t => t.AssetOut == "A03").Min(t => t.Bar));
        Assert.AreEqual(listed - start, result.AssetEvents.Single(e => e.Kind == AssetEventKind.Listed).Bar);
        StringAssert.Contains(result.Explain(0), "Not listed yet (no price): A03");
    }

    /// <summary>Runs <paramref name="allocator"/> (a classical name or a model directory) as <c>predictive compare</c> does.</summary>
    internal static async Task<BacktestResult> RunAllocatorAsync(PricePanel panel, string allocator, int start, PolicySpec policy, IReadOnlyList<string>? assets = null)
    {
        var market = new BacktestMarket(panel, assets);
        var assetPanel = market.AssetPanel();
        using var models = new ComparedModels(TimeProvider.System);
        var (chosen, spec) = allocator.Contains('/', StringComparison.Ordinal)
            ? models.Load(RepositoryPaths.Combine(allocator.Split('/')), market.Assets)
            : (Allocators.Create(allocator), FeatureSpec.Default);
        var targets = new AllocatorTargets(chosen, FeatureBuilder.Build(assetPanel, spec), assetPanel, allocator == "equal" ? null : new RiskEstimator());
        return await new Backtester(market, new BacktestOptions { StartBar = start }).RunAsync(targets, policy);
    }

    /// <summary>
    /// Checks the rule for asset <paramref name="a"/>, whose last price <paramref name="lastPrice"/> ends at bar
    /// <paramref name="firstUnpriced"/> − 1: target 0 from there, a holding valued at that price bar by bar until it is
    /// written off at the <paramref name="writeOff"/>-th bar without a price, and 0 held from then on.
    /// </summary>
    internal static void AssertRuleHeld(BacktestResult result, int a, double lastPrice, int firstUnpriced, int writeOff)
    {
        var n = result.Assets.Count;
        var goneAt = firstUnpriced + writeOff - 1;
        for (var i = firstUnpriced; i < result.BarCount; i++)
        {
            Assert.AreEqual(0, result.Targets[(i * n) + a], $"{result.Allocator}: target of {result.Assets[a]} at bar {i}");
            var held = result.QuantitiesAt(i)[a];
            if (i >= goneAt)
            {
                Assert.AreEqual(0, held, $"{result.Allocator}: {result.Assets[a]} is written off from bar {goneAt}");
                continue;
            }

            var value = result.WeightsAt(i)[a] * result.Equity[i];
            Assert.AreEqual(held * lastPrice, value, 1e-9 * Math.Max(1, result.Equity[i]), $"{result.Allocator}: {result.Assets[a]} valued at its last price at bar {i}");
            if (held != 0)
            {
                StringAssert.Contains(result.Explain(i), $"{result.Assets[a]} has had no price since", $"bar {i}'s reason names the asset");
            }
        }

        var events = result.AssetEvents.Where(e => e.Asset == result.Assets[a]).ToList();
        Assert.IsTrue(events.Any(e => e.Kind == AssetEventKind.Unpriced && e.Bar == firstUnpriced), $"{result.Allocator}: an unpriced event at bar {firstUnpriced}");
        var before = result.QuantitiesAt(Math.Min(goneAt, result.BarCount) - 1)[a];
        if (before != 0 && goneAt < result.BarCount)
        {
            var gone = events.Single(e => e.Kind == AssetEventKind.WrittenOff);
            Assert.AreEqual(before * lastPrice, gone.ValueQuote, 1e-9 * gone.ValueQuote);
        }
    }
}
