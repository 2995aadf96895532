using Predictive.Chain.Tests.Contracts;
using System.Numerics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Venue;
using Predictive.Core.Backtesting;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Synthetic;
using Predictive.Core.Venues;
using Predictive.Onnx.Inference;
using Predictive.Onnx.Manifest;
using Predictive.Onnx.Registry;
using Predictive.Tests.Shared;

namespace Predictive.Chain.Tests.Venue;

/// <summary>
/// The proof that live is the backtest: one market path — a crash, a volume drought that thins the pools, one bar on
/// which the ETH pool strays 30 % from the reference — run as a backtest and live on anvil, where the test moves the
/// Uniswap pools bar by bar to the simulated venue's reserves and the keeper runs once per bar. Targets come from the
/// bundled ONNX model. The two give the same decisions, reasons and guard results, and the same trades to rounding.
/// </summary>
[TestClass]
public sealed class ReplayAnvilTests : SharedAnvilTests
{
    private const int Start = 200;
    private const int Bars = 31;
    private const int CrashBar = Start + 4;
    private const int DroughtBar = Start + 12;
    private const int StrayBar = Start + 20;
    private static readonly string[] Assets = ["BTC", "ETH", "SOL", "BNB"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Slow")]
    public async Task LiveOnAnvil_SameMarketPathAsBacktest_SameDecisionsGuardResultsAndTradesWithinRounding()
    {
        var ct = TestContext.CancellationToken;
        var (honest, pools) = Panels();
        var venueOptions = new SimulatedVenueOptions { DepthMode = PoolDepthMode.FromVolume, DepthVolumeMultiple = 0.01, VolumeWindowBars = 3 };
        var costs = new SwapCostOptions { GasPriceGwei = 1 };
        var market = new BacktestMarket(pools, Assets, venueOptions, costs, planner: new TradePlannerOptions { MaxPriceImpactBps = 50 });
        var reference = new PanelReferencePrices(honest, Assets, "USDC", "honest closes");
        var guards = new ITradeGuard[] { new LiquidityGuard(new LiquidityGuardOptions { MinLiquidityQuote = 100_000m }), new PriceDeviationGuard(), new VolatilityCircuitBreaker() };
        var policy = PolicySpec.Calendar(5).Unscreened();
        using var model = LoadModel();
        var assetPanel = honest.SelectAssets(Assets);
        var schedule = new AllocatorTargets(new OnnxAllocator(model), FeatureBuilder.Build(assetPanel, model.FeatureSpec), assetPanel, null);
        var backtest = await new Backtester(market, new BacktestOptions { StartBar = Start, EndBar = Start + Bars, Guards = guards, Reference = reference })
            .RunAsync(schedule, policy, ct);

        // Live: a fresh local chain, the vault holding what the backtest held after its first bar, the pools moved bar by bar.
        using var world = await OnChainWorld.DeployAsync(Client, SharedAnvil.Endpoint, [.. Assets.Select(a => new KeyValuePair<string, decimal>(a, (decimal)reference.GetAsync(CloseOf(honest, Start), ct).Result.Prices[a]))]);
        using var keeper = world.Keeper(Client);
        // The vault floors every swap by its oracle feeds; the harness keeps each feed at its pool's price, so the floor
        // admits the same honest trades the backtest makes (the oracle floor itself is tested in Oracle/).
        using var feedSender = world.Manager(AnvilDevAccounts.Owner, "feeds");
        var feeds = new PriceFeeds(feedSender, ContractArtifactsFixture.Get());
        var clock = new FakeTimeProvider(CloseOf(honest, Start - 8));
        var venue = new OnChainVenue(Client, world.Manifest.ToMarket(), new OnChainVenueOptions { Costs = costs }, AnvilDevAccounts.Keeper.Address, keeper, clock);
        var simulated = new SimulatedVenue(pools, venueOptions, market.CostModel, market.Gas, clock);
        var rebalancer = new OnChainRebalancer(venue, new RebalancePipelineOptions { Policy = policy, Guards = guards, Costs = costs, Planner = market.PlannerOptions }, reference, world.Directory);
        for (var t = Start - 8; t <= Start; t++)
        {
            clock.SetUtcNow(CloseOf(honest, t));
            await SetPoolsAsync(world, simulated, feeds, $"bar{t}", ct);
            await rebalancer.ObserveAsync(ct);
        }

        await SetVaultAsync(world, backtest.QuantitiesAt(0).ToArray(), ct);
        var state = PipelineState.Load(rebalancer.StatePath);
        state.NextBar = 1;
        state.Save(rebalancer.StatePath);

        var reports = new List<OnChainRebalanceReport>();
        var target = new double[Assets.Length];
        for (var i = 1; i < Bars; i++)
        {
            var t = Start + i;
            clock.SetUtcNow(CloseOf(honest, t));
            await SetPoolsAsync(world, simulated, feeds, $"bar{t}", ct);
            // The model reads the weights held now (at this bar's reference prices), as the backtester hands them over.
            var held = await venue.GetHoldingsAsync(ct);
            var prices = (await reference.GetAsync(CloseOf(honest, t), ct)).Prices;
            var value = held.Quantity("USDC") + Assets.Sum(a => held.Quantity(a) * (decimal)prices[a]);
            var weights = Assets.Select(a => (double)(held.Quantity(a) * (decimal)prices[a] / value)).ToArray();
            Assert.IsTrue(schedule.TryGetTarget(t, weights, target));
            var targets = Assets.Select((a, k) => (a, target[k])).ToDictionary(x => x.a, x => x.Item2);
            reports.Add(await rebalancer.RunAsync(Assets, targets, $"bar{t}", ct));
        }

        for (var i = 1; i < Bars; i++)
        {
            var (b, l) = (backtest.Details[i], reports[i - 1]);
            Assert.AreEqual(i, l.Bar);
            Assert.AreEqual((b.Trade, b.Reason.ToString()), (l.Decision.Trade, l.Decision.Reason), $"bar {i}: {b.Explanation} | {l.Decision.Explanation}");
            Assert.AreEqual(Verdicts(b.Guards), Verdicts(l.Guards), $"bar {i}");
            for (var g = 0; g < b.Guards.Count; g++)
            {
                Assert.AreEqual(b.Guards[g].Value, l.Guards[g].Value, Math.Max(1e-6, Math.Abs(b.Guards[g].Value) * 1e-4), $"bar {i} {b.Guards[g].Guard}: {b.Guards[g].Detail} | {l.Guards[g].Detail}");
            }
        }

        var backTrades = backtest.Trades.Where(t => t.Bar > 0).ToList();
        var liveTrades = reports.SelectMany(r => r.Swaps.Select(s => (r.Bar, Swap: s))).ToList();
        TestContext.WriteLine($"{backTrades.Count} swaps in the backtest, {liveTrades.Count} on anvil; fired: " + string.Join(", ", reports.SelectMany(r => r.Guards.Where(g => g.Fired).Select(g => $"{r.Bar}:{g.Guard}"))));
        Assert.HasCount(backTrades.Count, liveTrades, string.Join("\n", backTrades.Select(t => $"B {t.Bar} {t.AssetIn}->{t.AssetOut} {t.AmountIn}")) + "\n" + string.Join("\n", liveTrades.Select(t => $"L {t.Bar} {t.Swap.Order.AssetIn}->{t.Swap.Order.AssetOut} {t.Swap.Order.AmountIn} {t.Swap.Status} {t.Swap.FailureReason}")) + "\n" + string.Join("\n", reports.SelectMany(r => r.Notes.Select(n => $"{r.Bar}: {n}"))));
        for (var k = 0; k < backTrades.Count; k++)
        {
            var (b, (bar, l)) = (backTrades[k], liveTrades[k]);
            Assert.AreEqual((b.Bar, b.AssetIn, b.AssetOut), (bar, l.Order.AssetIn, l.Order.AssetOut), $"swap {k}");
            var tokenIn = world.Manifest.ToMarket().Token(l.Order.AssetIn);
            var tokenOut = world.Manifest.ToMarket().Token(l.Order.AssetOut);
            Assert.AreEqual(FillStatus.Filled, l.Status, l.FailureReason);
            Assert.AreEqual((double)b.AmountIn, (double)TokenAmounts.ToUnits(l.AmountInRaw, tokenIn.Decimals), (double)b.AmountIn * 1e-3, $"swap {k} in");
            Assert.AreEqual((double)b.AmountOut, (double)TokenAmounts.ToUnits(l.AmountOutRaw, tokenOut.Decimals), (double)b.AmountOut * 1e-3, $"swap {k} out");
        }

        // What the path is for: every guard fires, and a plan's slices go out on later bars (re-guarded when due).
        var fired = reports.SelectMany(r => r.Guards.Concat(r.SliceGuards)).Where(g => g.Fired).Select(g => g.Guard).ToHashSet();
        CollectionAssert.IsSubsetOf(new[] { "liquidity", "price-deviation", "volatility" }, fired.ToArray());
        Assert.IsGreaterThanOrEqualTo(2, reports.Count(r => !r.Decision.Trade && r.Swaps.Count > 0 && r.SliceGuards.Count == guards.Length + 1), "slices sent on two or more later bars, each after the guards (the three and the reference's hygiene)");
    }

    /// <summary>Each guard and whether it fired, with the asset that fired it (the asset of a pass is only the largest of near-ties).</summary>
    private static string Verdicts(IEnumerable<GuardResult> guards) => string.Join("; ", guards.Select(g => g.Fired ? $"{g.Guard}:fired:{g.Asset}" : $"{g.Guard}:passed"));

    private static DateTimeOffset CloseOf(PricePanel panel, int bar) => panel.Timestamps[bar] + panel.Interval.Length;

    /// <summary>The synthetic market's first four assets with a BTC crash and a volume drought; the pools' copy strays on ETH for one bar.</summary>
    private static (PricePanel Honest, PricePanel Pools) Panels()
    {
        var source = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 42, Bars = Start + Bars + 5 }).SelectAssets(Assets);
        double[][] Closes(bool stray) => [.. Enumerable.Range(0, Assets.Length).Select(a => source.Close(a).ToArray().Select((p, t) =>
            p * (a == 0 && t >= CrashBar ? 0.6 : 1) * (stray && a == 1 && t == StrayBar ? 1.3 : 1)).ToArray())];
        var volumes = Enumerable.Range(0, Assets.Length).Select(_ => Enumerable.Range(0, source.BarCount).Select(t => t < DroughtBar ? 2e9 : 6e7).ToArray()).ToArray();
        var stamps = source.Timestamps.ToArray();
        return (new PricePanel(stamps, Assets, source.Interval, Closes(false), volume: volumes), new PricePanel(stamps, Assets, source.Interval, Closes(true), volume: volumes));
    }

    private static OnnxAllocatorModel LoadModel()
    {
        var dir = RepositoryPaths.Combine("models", "default", "1");
        var package = ModelPackage.Open(dir).Manifest;
        var (model, refusal) = ModelLoader.Load(dir, package.Name, package.Version, TimeProvider.System);
        return model ?? throw new InvalidOperationException($"The bundled model was refused: {refusal}");
    }

    /// <summary>
    /// Moves every Uniswap pair to the simulated venue's reserves at the clock's bar: the pair's token balances and its
    /// packed reserves (storage slot 8 of UniswapV2Pair: reserve0, reserve1, blockTimestampLast) written directly, as
    /// <c>sync()</c> would leave them.
    /// </summary>
    private static async Task SetPoolsAsync(OnChainWorld world, SimulatedVenue simulated, PriceFeeds feeds, string step, CancellationToken ct)
    {
        var snapshot = await simulated.GetSnapshotAsync(ct);
        var chain = world.Manifest.ToMarket();
        foreach (var asset in chain.Assets)
        {
            var pool = snapshot.Pools.Single(p => p.Contains(asset.Symbol));
            var assetRaw = await SetBalanceAsync(asset.Token, asset.Pool, pool.ReserveOf(asset.Symbol), ct);
            var quoteRaw = await SetBalanceAsync(chain.Quote, asset.Pool, pool.ReserveOf(chain.Quote.Symbol), ct);
            var token0 = await Client.Token0Async(asset.Pool);
            var (r0, r1) = token0 == asset.Token.Address ? (assetRaw, quoteRaw) : (quoteRaw, assetRaw);
            var old = await Client.RequestAsync<string>("eth_getStorageAt", [asset.Pool.ToString(), "0x8", "latest"], ct);
            var timestamp = BigInteger.Parse("0" + old[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) >> 224;
            await WriteSlotAsync(asset.Pool, "0x8", r0 | (r1 << 112) | (timestamp << 224), ct);
            var feed = world.Manifest.Assets.Single(a => a.Symbol == asset.Symbol).Feed;
            if (feed is not null)
            {
                var price = pool.ReserveOf(chain.Quote.Symbol) / pool.ReserveOf(asset.Symbol);
                await feeds.UpdateAsync(EthAddress.Parse(feed), PriceFeeds.ToAnswer(price), $"feed:{step}:{asset.Symbol}", ct);
            }
        }
    }

    private static async Task SetVaultAsync(OnChainWorld world, double[] amounts, CancellationToken ct)
    {
        var chain = world.Manifest.ToMarket();
        var vault = EthAddress.Parse(world.Manifest.Vault);
        for (var a = 0; a < Assets.Length; a++)
        {
            await SetBalanceAsync(chain.Token(Assets[a]), vault, Holding(amounts[a]), ct);
        }

        await SetBalanceAsync(chain.Quote, vault, Holding(amounts[Assets.Length]), ct);
    }

    /// <summary>
    /// A backtest holding as token units. The double path can leave a sold-out asset a few 1e-24 below zero (rounding of
    /// an amount that is exactly zero in the exact path); that is zero, far below one base unit. Anything more negative is a
    /// real error and still throws.
    /// </summary>
    private static decimal Holding(double amount) => amount is < 0 and > -1e-12 ? 0m : (decimal)amount;

    /// <summary>Writes <paramref name="holder"/>'s balance of an OpenZeppelin ERC-20 (balances are the mapping in slot 0); returns the raw amount.</summary>
    private static async Task<BigInteger> SetBalanceAsync(ChainToken token, EthAddress holder, decimal units, CancellationToken ct)
    {
        var raw = TokenAmounts.ToRaw(units, token.Decimals, UnitRounding.Down);
        var key = new byte[64];
        holder.ToBytes().CopyTo(key, 12);
        await WriteSlotAsync(token.Address, "0x" + Convert.ToHexStringLower(Nethereum.Util.Sha3Keccack.Current.CalculateHash(key)), raw, ct);
        return raw;
    }

    private static async Task WriteSlotAsync(EthAddress contract, string slot, BigInteger value, CancellationToken ct) =>
        await Client.RequestAsync("anvil_setStorageAt", [contract.ToString(), slot, "0x" + value.ToString("x64", CultureInfo.InvariantCulture)[^64..]], ct);
}
