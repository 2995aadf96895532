using System.Numerics;
using System.Text.Json;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Cli;
using Predictive.Keeper.Market;
using Predictive.Keeper.Tests.Support;

namespace Predictive.Keeper.Tests;

/// <summary>The on-chain market-data source on anvil: feed closes and Swap-event volume per bar, no look-ahead, reorgs.</summary>
[TestClass]
public sealed class KeeperMarketDataTests
{
    private const long Bar = 3600;

    [TestMethod]
    public async Task ChainMarketData_SwapsInThreeBars_ClosesAreTheFeedsAndVolumesThePoolsQuoteFlowPerBar()
    {
        await using var world = await KeeperWorld.StartAsync(new Uri("http://127.0.0.1:1/"));
        var source = Source(world, maxBlockRange: 3);
        var first = await NextBarAsync(world);
        var expected = new List<Dictionary<string, (double Close, double Volume)>>();
        for (var k = 0; k < 3; k++)
        {
            expected.Add(await TradeBarAsync(world, first + (k * Bar), 1m + (0.02m * (k + 1))));
        }

        await CloseBarAsync(world, first + (3 * Bar));
        var head = await world.Client.GetLatestTimestampAsync();

        var panel = await source.AtAsync([.. world.Manifest.Assets.Select(a => a.Symbol)], head, CancellationToken.None);

        Assert.AreEqual(5, panel.BarCount);
        var times = panel.Timestamps.ToArray();
        for (var k = 0; k < 3; k++)
        {
            var b = panel.BarCount - 3 + k;
            Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(first + (k * Bar)), times[b], $"bar {k} opens on its hour");
            foreach (var (symbol, (close, volume)) in expected[k])
            {
                panel.TryGetIndex(symbol, out var a);
                Assert.AreEqual(close, panel.Close(a)[b], close * 1e-6, $"{symbol} bar {k}: the close is the feed's round in the bar");
                Assert.AreEqual(volume, panel.Volume(a)[b], Math.Max(1e-6, volume * 1e-9), $"{symbol} bar {k}: the volume is the pool's quote flow");
                Assert.IsGreaterThan(0.0, volume, $"{symbol} bar {k} traded");
            }
        }

        Assert.IsGreaterThan(1, source.LogRequests, "the blocks were read in ranges of at most maxBlockRange");
    }

    [TestMethod]
    public async Task ChainMarketData_ChainTimeInsideABar_LeavesThatBarOut()
    {
        await using var world = await KeeperWorld.StartAsync(new Uri("http://127.0.0.1:1/"));
        var source = Source(world);
        var first = await NextBarAsync(world);
        var bar0 = await TradeBarAsync(world, first, 1.05m);
        await TradeBarAsync(world, first + Bar, 1.1m);
        await CloseBarAsync(world, first + (2 * Bar));

        // The decision's time is half-way through the second bar: that bar has not closed for it.
        var panel = await source.AtAsync([.. bar0.Keys], DateTimeOffset.FromUnixTimeSeconds(first + Bar + (Bar / 2)), CancellationToken.None);

        Assert.AreEqual(DateTimeOffset.FromUnixTimeSeconds(first), panel.Timestamps[^1], "the last bar is the first one, closed before the decision");
        foreach (var (symbol, (close, volume)) in bar0)
        {
            panel.TryGetIndex(symbol, out var a);
            Assert.AreEqual(volume, panel.Volume(a)[^1], Math.Max(1e-6, volume * 1e-9));
            Assert.AreEqual(close, panel.Close(a)[^1], close * 1e-6);
        }
    }

    [TestMethod]
    public async Task ChainMarketData_ReorgReplacesTheLastBarsSwaps_CountsOnlyTheNewChainsSwaps()
    {
        await using var world = await KeeperWorld.StartAsync(new Uri("http://127.0.0.1:1/"));
        var source = Source(world);
        var first = await NextBarAsync(world);
        var bar0 = await TradeBarAsync(world, first, 1.05m);
        var snapshot = await world.Client.RequestAsync<string>("evm_snapshot", []);
        var old = await TradeBarAsync(world, first + Bar, 1.2m);
        await CloseBarAsync(world, first + (2 * Bar));
        var symbols = bar0.Keys.ToList();
        var before = await source.AtAsync(symbols, await world.Client.GetLatestTimestampAsync(), CancellationToken.None);
        panelVolumes(before, old);

        Assert.IsTrue(await world.Client.RequestAsync<bool>("evm_revert", [snapshot]));
        // An empty block first (still in the first bar): `chain advance` names its intents by the block number it starts at.
        await world.Client.RequestAsync("evm_mine", []);
        var replaced = await TradeBarAsync(world, first + Bar, 0.9m);
        await CloseBarAsync(world, first + (2 * Bar));
        for (var i = 0; i < 5; i++)
        {
            await world.Client.RequestAsync("evm_mine", []);
        }

        var after = await source.AtAsync(symbols, await world.Client.GetLatestTimestampAsync(), CancellationToken.None);

        panelVolumes(after, replaced);
        foreach (var symbol in symbols)
        {
            after.TryGetIndex(symbol, out var a);
            Assert.AreNotEqual(old[symbol].Volume, replaced[symbol].Volume, 1e-6, "the replaced bar traded a different amount");
            Assert.AreEqual(bar0[symbol].Volume, after.Volume(a)[^2], Math.Max(1e-6, bar0[symbol].Volume * 1e-9), "the bar before the reorg is unchanged");
        }

        static void panelVolumes(Core.MarketData.PricePanel panel, Dictionary<string, (double Close, double Volume)> bar)
        {
            foreach (var (symbol, (close, volume)) in bar)
            {
                panel.TryGetIndex(symbol, out var a);
                Assert.AreEqual(volume, panel.Volume(a)[^1], Math.Max(1e-6, volume * 1e-9), $"{symbol}: the last bar's volume is the current chain's");
                Assert.AreEqual(close, panel.Close(a)[^1], close * 1e-6, $"{symbol}: the last bar's close is the current chain's feed");
            }
        }
    }

    [TestMethod]
    public async Task ExchangeMarketData_ChainTimeInsideABar_SendsTheLastClosedKlinesWithTheirQuoteVolume()
    {
        await using var world = await KeeperWorld.StartAsync(new Uri("http://127.0.0.1:1/"));
        var symbols = world.Manifest.Assets.Select(a => a.Symbol).ToList();
        // Hourly bars ending before the wall clock (the downloader drops a kline still forming on it).
        var now = TimeProvider.System.GetUtcNow();
        var start = DateTimeOffset.FromUnixTimeSeconds((now.ToUnixTimeSeconds() / Bar * Bar) - (300 * Bar));
        var market = Core.Synthetic.SyntheticMarket.Generate(new Core.Synthetic.SyntheticMarketOptions
        {
            Seed = 7, Symbols = symbols, Bars = 300, Start = start, Interval = Core.MarketData.BarInterval.Hourly,
        });
        await using var exchange = await FakeExchange.StartAsync(market);
        world.WriteConfig(vault: new Dictionary<string, object?>
        {
            ["marketData"] = new Dictionary<string, object?> { ["source"] = "exchange", ["baseUrl"] = exchange.Url.ToString(), ["interval"] = "1h", ["bars"] = 24 },
        });
        var source = MarketDataSources.For(world.Settings().Vaults[0]);
        var time = start.AddHours(200).AddMinutes(30);

        var panel = await source.AtAsync(symbols, time, CancellationToken.None);

        Assert.AreEqual(24, panel.BarCount);
        Assert.AreEqual(start.AddHours(199), panel.Timestamps[^1], "the bar opened at 200 h has not closed at 200 h 30 min: the last is the one before");
        Assert.AreEqual(start.AddHours(176), panel.Timestamps[0]);
        Assert.IsTrue(panel.HasVolume);
        foreach (var symbol in symbols)
        {
            panel.TryGetIndex(symbol, out var a);
            market.TryGetIndex(symbol, out var m);
            for (var b = 0; b < panel.BarCount; b++)
            {
                Assert.AreEqual(market.Close(m)[176 + b], panel.Close(a)[b], 0, $"{symbol} close {b}");
                Assert.AreEqual(market.Volume(m)[176 + b], panel.Volume(a)[b], 0, $"{symbol} quote volume {b}");
            }
        }

        Assert.IsGreaterThanOrEqualTo(symbols.Count, exchange.Requests, "one download per asset at least");
    }

    private static ChainMarketData Source(KeeperWorld world, int maxBlockRange = 2000)
    {
        world.WriteConfig(vault: new Dictionary<string, object?>
        {
            ["marketData"] = new Dictionary<string, object?> { ["source"] = "chain", ["barSeconds"] = Bar, ["bars"] = 5, ["maxBlockRange"] = maxBlockRange },
        });
        return new ChainMarketData(world.Settings().Vaults[0]);
    }

    /// <summary>The start of the hour after the chain head's (unix seconds).</summary>
    private static async Task<long> NextBarAsync(KeeperWorld world) =>
        ((await world.Client.GetLatestTimestampAsync()).ToUnixTimeSeconds() / Bar + 1) * Bar;

    /// <summary>
    /// In the bar opening at <paramref name="open"/>: every pool traded (by <c>chain advance</c>) to its seeded price ×
    /// <paramref name="factor"/> and every feed set to it. Returns each asset's expected close (the feed) and volume: the
    /// change of the pool's quote reserve, which is the quote side of its one swap (independent of the Swap events).
    /// </summary>
    private static async Task<Dictionary<string, (double Close, double Volume)>> TradeBarAsync(KeeperWorld world, long open, decimal factor)
    {
        await world.Client.RequestAsync("evm_setNextBlockTimestamp", [open + 60]);
        var prices = world.Manifest.Assets.ToDictionary(a => a.Symbol, a => decimal.Round(a.Price!.Value * factor, 4), StringComparer.Ordinal);
        var before = await QuoteReservesAsync(world);
        var file = Path.Combine(world.Directory, $"prices-{open}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { prices }));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.AreEqual(0, await CliApp.RunAsync(["chain", "advance", "--out", Path.Combine(world.Directory, "chain"), "--prices", file, "--settle-minutes", "0"], stdout, stderr, TimeProvider.System), stderr.ToString());
        var after = await QuoteReservesAsync(world);
        var quoteUnits = Math.Pow(10, world.Manifest.QuoteToken.Decimals);
        return prices.ToDictionary(p => p.Key, p => ((double)p.Value, (double)BigInteger.Abs(after[p.Key] - before[p.Key]) / quoteUnits), StringComparer.Ordinal);
    }

    /// <summary>Moves chain time past <paramref name="end"/> and mines enough blocks for the bar before it to be below the safe head.</summary>
    private static async Task CloseBarAsync(KeeperWorld world, long end)
    {
        await world.Client.RequestAsync("evm_setNextBlockTimestamp", [end + 10]);
        for (var i = 0; i < 4; i++)
        {
            await world.Client.RequestAsync("evm_mine", []);
        }
    }

    private static async Task<Dictionary<string, BigInteger>> QuoteReservesAsync(KeeperWorld world)
    {
        var quote = world.Manifest.QuoteToken.Address;
        var reserves = new Dictionary<string, BigInteger>(StringComparer.Ordinal);
        foreach (var asset in world.Manifest.Assets)
        {
            var pool = EthAddress.Parse(asset.Pool!);
            var token0 = await world.Client.QueryAsync<Token0Function, string>(pool, new Token0Function());
            var r = await world.Client.QueryOutputAsync<GetReservesFunction, ReservesOutput>(pool, new GetReservesFunction());
            reserves[asset.Symbol] = string.Equals(token0, quote, StringComparison.OrdinalIgnoreCase) ? r.Reserve0 : r.Reserve1;
        }

        return reserves;
    }
}
