using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
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

    [TestMethod]
    [TestCategory("Slow")]
    public async Task PassAsync_ChainMarketData_TheServiceTakesTheChainsBarsWithTheirVolumeAndTheKeeperTrades()
    {
        using var service = new TargetsService();
        await using var world = await KeeperWorld.StartAsync(service.Start());
        const int Bars = 120;
        world.WriteConfig(vault: new Dictionary<string, object?>
        {
            ["intervalSeconds"] = 600,
            ["marketData"] = new Dictionary<string, object?> { ["source"] = "chain", ["barSeconds"] = 600, ["bars"] = Bars },
        });
        // A seeded random walk of small moves (the feeds stay within the oracle's TWAP tolerance): swaps and feed rounds in every bar.
        var random = new Random(11);
        var factor = 1m;
        var first = ((await world.Client.GetLatestTimestampAsync()).ToUnixTimeSeconds() / 600 + 1) * 600;
        var expected = new List<Dictionary<string, (double Close, double Volume)>>();
        for (var k = 0; k < Bars; k++)
        {
            // Every bar moves by 0.1–0.3 % up or down, so every pool trades in every bar.
            factor *= 1m + ((random.Next(2) == 0 ? -1m : 1m) * (0.001m + (decimal)(random.NextDouble() * 0.002)));
            expected.Add(await TradeBarAsync(world, first + (k * 600), factor));
        }

        await CloseBarAsync(world, first + (Bars * 600));
        using var keeper = await KeeperHarness.CreateAsync(world);

        var record = await keeper.PassAsync();

        Assert.AreEqual("trade", record.Outcome, $"{record.Reason}: {record.Explanation}");
        Assert.AreEqual("default/1", record.Model, "the bundled model (its features use volume) answered for the chain's bars");
        var panel = await new ChainMarketData(keeper.Settings.Vaults[0]).AtAsync([.. world.Manifest.Assets.Select(a => a.Symbol)], record.ChainTime!.Value, CancellationToken.None);
        Assert.AreEqual(Bars, panel.BarCount);
        for (var b = 0; b < Bars; b++)
        {
            foreach (var (symbol, (close, volume)) in expected[b])
            {
                panel.TryGetIndex(symbol, out var a);
                Assert.IsGreaterThan(0.0, volume, $"{symbol} traded in bar {b}");
                Assert.AreEqual(volume, panel.Volume(a)[b], Math.Max(1e-6, volume * 1e-9), $"{symbol} bar {b}: the volume sent is the pool's quote flow");
                Assert.AreEqual(close, panel.Close(a)[b], close * 1e-6, $"{symbol} bar {b}: the close sent is the feed's");
            }
        }
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
    /// In the bar opening at <paramref name="open"/>: every pool traded to its seeded price × <paramref name="factor"/>
    /// (the swap <see cref="LocalChainAdvancer.TradeToPrice"/> computes, as <c>chain advance</c> makes it, sent by the
    /// deployer through anvil's unlocked eth_sendTransaction) and every feed set to it. Returns each asset's expected close
    /// (the feed) and volume: the change of the pool's quote reserve, which is the quote side of its one swap (independent
    /// of the Swap events).
    /// </summary>
    private static async Task<Dictionary<string, (double Close, double Volume)>> TradeBarAsync(KeeperWorld world, long open, decimal factor)
    {
        await world.Client.RequestAsync("evm_setNextBlockTimestamp", [open + 60]);
        var prices = world.Manifest.Assets.ToDictionary(a => a.Symbol, a => decimal.Round(a.Price!.Value * factor, 8), StringComparer.Ordinal);
        var before = await QuoteReservesAsync(world);
        var quote = EthAddress.Parse(world.Manifest.QuoteToken.Address);
        var reads = new OracleReads(world.Client);
        foreach (var asset in world.Manifest.Assets)
        {
            var token = EthAddress.Parse(asset.Address);
            var now = await reads.ObserveAsync(EthAddress.Parse(asset.Pool!), token);
            var (tokenIn, tokenOut, amountIn) = LocalChainAdvancer.TradeToPrice(now, token, quote, prices[asset.Symbol], asset.Decimals, world.Manifest.QuoteToken.Decimals);
            if (amountIn.Sign > 0)
            {
                await SendAsync(world, tokenIn, new MintFunction { To = Deployer, Amount = amountIn });
                await SendAsync(world, tokenIn, new ApproveFunction { Spender = world.Manifest.Router, Amount = amountIn });
                await SendAsync(world, EthAddress.Parse(world.Manifest.Router), new SwapExactTokensForTokensFunction
                {
                    AmountIn = amountIn, AmountOutMin = BigInteger.Zero, Path = [tokenIn.ToString(), tokenOut.ToString()], To = Deployer, Deadline = open + 86_400,
                });
            }

            await SendAsync(world, EthAddress.Parse(asset.Feed!), new UpdateAnswerFunction { Answer = PriceFeeds.ToAnswer(prices[asset.Symbol]) });
        }

        await SendAsync(world, EthAddress.Parse(world.Manifest.QuoteToken.Feed!), new UpdateAnswerFunction { Answer = PriceFeeds.ToAnswer(1m) });
        var after = await QuoteReservesAsync(world);
        var quoteUnits = Math.Pow(10, world.Manifest.QuoteToken.Decimals);
        return prices.ToDictionary(p => p.Key, p => ((double)p.Value, (double)BigInteger.Abs(after[p.Key] - before[p.Key]) / quoteUnits), StringComparer.Ordinal);
    }

    private static string Deployer => AnvilDevAccounts.Owner.Address.ToString();

    /// <summary>One transaction from the deployer (anvil's unlocked dev account 0), waited for until its receipt is there.</summary>
    private static async Task SendAsync<T>(KeeperWorld world, EthAddress to, T message)
        where T : FunctionMessage, new()
    {
        var hash = await world.Client.RequestAsync<string>("eth_sendTransaction", [new Dictionary<string, string>
        {
            ["from"] = Deployer, ["to"] = to.ToString(), ["data"] = message.GetCallData().ToHex(true), ["gas"] = "0x1e8480",
        }]);
        var receipt = await world.Client.GetTransactionReceiptAsync(hash);
        while (receipt is null)
        {
            await Task.Delay(5);
            receipt = await world.Client.GetTransactionReceiptAsync(hash);
        }

        Assert.AreEqual(1, (int)receipt.Status.Value, $"{typeof(T).Name} to {to} reverted");
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
