using System.Globalization;
using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Contracts.Standards.ERC20.ContractDefinition;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Venues;

namespace Predictive.Chain.Tests.Oracle;

/// <summary>
/// The adversarial scenarios of issue 14 through the one composition on anvil: an <see cref="OnChainRebalancer"/> whose
/// reference prices are the vault's Chainlink-compatible feeds (<see cref="OracleReferencePrices"/>). Oracle hygiene
/// surfaces as the "oracle" guard; the pool, liquidity and volatility guards run on the feeds' prices. Each world is 31
/// minutes old with fresh feeds, the keeper observes once (the guards' history), then the scenario, then one run. The
/// vault's and the accomplice's values (USDC, BTC at the feed's 60,000) before and after are written to the log.
/// </summary>
[TestClass]
public sealed class OracleCompositionAnvilTests
{
    private const decimal Price = OracleWorld.BtcPrice;
    private static readonly BigInteger Usdc = OracleWorld.Usdc;
    private static readonly BigInteger Btc = OracleWorld.Btc;

    /// <summary>70 % BTC: the vault (100,000 USDC and 2 BTC, 54.5 % BTC) buys about 34,000 USDC of BTC.</summary>
    private static readonly Dictionary<string, double> Targets = new(StringComparer.Ordinal) { ["BTC"] = 0.70, ["USDC"] = 0.30 };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_HonestWorld_TradesWithEveryGuardPassed()
    {
        using var s = await ScenarioAsync();

        var report = await s.RunAsync("20260101T01Z");

        Assert.IsTrue(report.Decision.Trade, report.Decision.Explanation);
        CollectionAssert.AreEqual(new[] { ReferenceHygieneGuard.GuardName, "liquidity", "price-deviation", "volatility" }, report.Guards.Select(g => g.Guard).ToArray());
        Assert.IsTrue(report.Guards.All(g => !g.Fired), string.Join(" | ", report.Guards.Select(g => g.Detail)));
        Assert.IsNotEmpty(report.Swaps);
        Assert.IsTrue(report.Swaps.All(x => x.Status == FillStatus.Filled), string.Join(" | ", report.Swaps.Select(x => x.FailureReason)));
        Assert.AreEqual(0.70, report.WeightsAfter["BTC"], 0.005);
        await s.LogAsync("honest rebalance", report, $"gas of swap with the oracle floor: {string.Join(", ", report.Swaps.Select(x => x.GasUsed))}");
    }

    [TestMethod]
    public async Task RunAsync_FeedsOlderThanHeartbeat_NoTradeOracleGuardNamesEachFeedStale()
    {
        using var s = await ScenarioAsync();
        await s.World.IncreaseTimeAsync(TimeSpan.FromMinutes(61));

        var report = await s.RunAsync("20260101T01Z");

        var oracle = await s.AssertBlockedAsync(report, ReferenceHygieneGuard.GuardName);
        StringAssert.Contains(oracle.Detail, $"USDC feed {s.World.UsdcFeed} stale");
        StringAssert.Contains(oracle.Detail, $"BTC feed {s.World.BtcFeed} stale");
        Assert.AreEqual(2, oracle.Value, "one fault per feed");
        await s.LogAsync("stale feeds", report);
    }

    [TestMethod]
    public async Task RunAsync_FeedAnswerZero_NoTradeOracleGuardNamesTheFeedNonPositive()
    {
        using var s = await ScenarioAsync();
        await s.World.Feeds.UpdateAsync(s.World.BtcFeed, BigInteger.Zero, "zero");

        var report = await s.RunAsync("20260101T01Z");

        var oracle = await s.AssertBlockedAsync(report, ReferenceHygieneGuard.GuardName);
        StringAssert.Contains(oracle.Detail, $"BTC feed {s.World.BtcFeed} non-positive: answer 0 is not positive.");
        Assert.AreEqual(0.5454, report.WeightsBefore["BTC"], 1e-3, "holdings are valued at the feed's last positive round (60,000): 120,000 of 220,000");
        await s.LogAsync("zero feed", report);
    }

    [TestMethod]
    public async Task RunAsync_FeedRoundUnanswered_NoTradeOracleGuardNamesUnansweredRound()
    {
        using var s = await ScenarioAsync(unansweredBtcFeed: true);

        var report = await s.RunAsync("20260101T01Z");

        var oracle = await s.AssertBlockedAsync(report, ReferenceHygieneGuard.GuardName);
        StringAssert.Contains(oracle.Detail, $"BTC feed {s.World.BtcFeed} unanswered-round: round 2 is unanswered (answeredInRound 1).");
        await s.LogAsync("unanswered round", report);
    }

    [TestMethod]
    public async Task RunAsync_FeedFivePercentAboveTheTwap_NoTradeOracleGuardNamesTwapDeviation()
    {
        using var s = await ScenarioAsync();
        await s.World.Feeds.UpdateAsync(s.World.BtcFeed, PriceFeeds.ToAnswer(63_000m), "feed-up");

        var report = await s.RunAsync("20260101T01Z");

        var oracle = await s.AssertBlockedAsync(report, ReferenceHygieneGuard.GuardName);
        StringAssert.Contains(oracle.Detail, $"BTC feed {s.World.BtcFeed} twap-deviation");
        StringAssert.Contains(oracle.Detail, "500 bps", "the pool held 60,000 for the whole window: |63,000 / 60,000 − 1| = 500 bps");
        await s.LogAsync("feed vs TWAP", report);
    }

    [TestMethod]
    public async Task RunAsync_PoolDumpedInTheLastBlock_NoTradePriceDeviationFiresWhileTheOracleGuardPasses()
    {
        using var s = await ScenarioAsync();
        await s.World.AccompliceSwapAsync("dump", s.World.BtcToken, s.World.UsdcToken, 10 * Btc);
        var mid = await s.World.PoolMidAsync();

        var report = await s.RunAsync("20260101T01Z");

        var deviation = await s.AssertBlockedAsync(report, "price-deviation");
        Assert.AreEqual((double)Math.Abs((mid / Price) - 1) * 10_000, deviation.Value, 1.0, "pool mid vs the feed, in bps");
        Assert.IsFalse(report.Guards.Single(g => g.Guard == ReferenceHygieneGuard.GuardName).Fired, "one block's dump barely moves the 30-minute TWAP");
        await s.LogAsync("manipulated pool (10 BTC dumped)", report);
    }

    [TestMethod]
    public async Task RunAsync_PoolDrained70Percent_NoTradeLiquidityGuardFires()
    {
        using var s = await ScenarioAsync();
        var w = s.World;
        var lp = await w.BalanceAsync(w.Pool, w.Owner.Account);
        await w.Owner.ExecuteAsync(new TransactionIntent("lp-to-pair", w.Pool, new TransferFunction { To = w.Pool.ToString(), Value = lp * 7 / 10 }.GetCallData()));
        (await w.Owner.ExecuteAsync(new TransactionIntent("burn", w.Pool, new PairBurnFunction { To = w.Owner.Account.ToString() }.GetCallData()))).EnsureSucceeded();

        var report = await s.RunAsync("20260101T01Z");

        var liquidity = await s.AssertBlockedAsync(report, "liquidity");
        Assert.AreEqual(0.70, liquidity.Value, 1e-3, "both reserves fell to 30 % of the observed peak");
        await s.LogAsync("70 % liquidity drought", report);
    }

    [TestMethod]
    public async Task RunAsync_FeedAndPoolCrash30PercentSinceTheLastRun_NoTradeVolatilityGuardFires()
    {
        using var s = await ScenarioAsync();
        var w = s.World;
        var crash = Price * 0.7m;
        var pool = await new OracleReads(w.Client).ObserveAsync(w.Pool, w.BtcToken);
        var (tokenIn, tokenOut, amountIn) = LocalChainAdvancer.TradeToPrice(pool, w.BtcToken, w.UsdcToken, crash, 18, 6);
        await w.AccompliceSwapAsync("crash", tokenIn, tokenOut, amountIn);
        await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(crash), "crash");
        // The market settles at the new price: the TWAP catches up and the feeds stay fresh.
        await w.IncreaseTimeAsync(TimeSpan.FromMinutes(31));
        await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(crash), "crash:refresh");
        await w.Feeds.UpdateAsync(w.UsdcFeed, PriceFeeds.ToAnswer(1m), "crash:refresh:usdc");

        var report = await s.RunAsync("20260101T01Z");

        var volatility = await s.AssertBlockedAsync(report, "volatility");
        Assert.AreEqual(Math.Abs(Math.Log(0.7)) * Math.Sqrt(365), volatility.Value, 1e-3, "one −30 % return since the observed bar, annualized over 365 bars");
        Assert.IsFalse(report.Guards.Single(g => g.Guard == ReferenceHygieneGuard.GuardName).Fired, report.Guards[0].Detail);
        Assert.IsFalse(report.Guards.Single(g => g.Guard == "price-deviation").Fired, "pool and feed crashed together");
        await s.LogAsync("−30 % flash crash", report);
    }

    [TestMethod]
    public async Task RunAsync_SandwichBetweenQuoteAndSend_SwapRevertsOnMinimumOutputJournaledAndTheNextRunTrades()
    {
        var frontRunIn = 300_000 * Usdc;
        BigInteger frontRunOut = 0;
        using var s = await ScenarioAsync(w => async (checkpoint, entry) =>
        {
            // The keeper has quoted and signed its first swap; the accomplice's buy lands before it is sent.
            if (checkpoint == ExecutionCheckpoint.Signed && frontRunOut.IsZero)
            {
                var before = await w.BalanceAsync(w.BtcToken, w.Accomplice.Account);
                await w.AccompliceSwapAsync("front-run", w.UsdcToken, w.BtcToken, frontRunIn);
                frontRunOut = await w.BalanceAsync(w.BtcToken, w.Accomplice.Account) - before;
            }
        });
        var vaultBefore = await s.VaultBalancesAsync();

        var sandwiched = await s.RunAsync("20260101T01Z");
        await s.World.AccompliceSwapAsync("back-run", s.World.BtcToken, s.World.UsdcToken, frontRunOut);
        var afterSandwich = await s.VaultBalancesAsync();
        var next = await s.RunAsync("20260101T02Z");

        Assert.IsTrue(sandwiched.Decision.Trade, sandwiched.Decision.Explanation);
        var victim = sandwiched.Swaps[0];
        Assert.AreEqual(FillStatus.Reverted, victim.Status);
        StringAssert.Contains(victim.FailureReason, "INSUFFICIENT_OUTPUT_AMOUNT");
        var journaled = s.Keeper.Journal.Entries.Single(e => e.Intent.Id == victim.IntentId);
        Assert.AreEqual(ExecutionStep.Failed, journaled.Step);
        StringAssert.Contains(journaled.FailureReason, "INSUFFICIENT_OUTPUT_AMOUNT");
        CollectionAssert.AreEqual(vaultBefore, afterSandwich, "the reverted swap moved none of the vault's tokens");
        Assert.AreEqual(1, next.Bar, "the next run is the next bar");
        Assert.IsTrue(next.Decision.Trade, next.Decision.Explanation);
        Assert.IsTrue(next.Swaps.All(x => x.Status == FillStatus.Filled), string.Join(" | ", next.Swaps.Select(x => x.FailureReason)));
        Assert.AreEqual(0.70, next.WeightsAfter["BTC"], 0.005);
        await s.LogAsync("sandwich between quote and send", next, $"victim reverted ({victim.FailureReason}) using {victim.GasUsed} gas; the next run traded {next.Swaps.Count} swap(s)");
    }

    private async Task<Scenario> ScenarioAsync(Func<OracleWorld, Func<ExecutionCheckpoint, JournalEntry, ValueTask>>? checkpoint = null, bool unansweredBtcFeed = false)
    {
        var world = await OracleWorld.SettledAsync(TestContext.TestName!, unansweredBtcFeed);
        var directory = Path.Combine(Path.GetTempPath(), "predictive-oracle-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var keeper = world.KeeperManager(TestContext.TestName + "-run", checkpoint?.Invoke(world));
        var scenario = new Scenario(world, keeper, world.Rebalancer(keeper, directory), directory, TestContext);
        await scenario.Rebalancer.ObserveAsync();
        scenario.Balances = await scenario.VaultBalancesAsync();
        scenario.VaultBefore = await world.ValueAsync(world.Vault, Price);
        scenario.AttackerBefore = await world.ValueAsync(world.Accomplice.Account, Price);
        return scenario;
    }

    private sealed class Scenario(OracleWorld world, TransactionManager keeper, OnChainRebalancer rebalancer, string directory, TestContext log) : IDisposable
    {
        public OracleWorld World { get; } = world;

        public TransactionManager Keeper { get; } = keeper;

        public OnChainRebalancer Rebalancer { get; } = rebalancer;

        public decimal VaultBefore { get; set; }

        public decimal AttackerBefore { get; set; }

        public BigInteger[] Balances { get; set; } = [];

        public Task<OnChainRebalanceReport> RunAsync(string slot) => Rebalancer.RunAsync(Targets, slot);

        public async Task<BigInteger[]> VaultBalancesAsync() =>
            [await World.BalanceAsync(World.UsdcToken, World.Vault), await World.BalanceAsync(World.BtcToken, World.Vault)];

        /// <summary>No trade, reason GuardFired naming <paramref name="guard"/>, nothing sent, the vault's balances as before the run.</summary>
        public async Task<GuardResult> AssertBlockedAsync(OnChainRebalanceReport report, string guard)
        {
            Assert.IsFalse(report.Decision.Trade, report.Decision.Explanation);
            Assert.AreEqual("GuardFired", report.Decision.Reason);
            StringAssert.Contains(report.Decision.Explanation, guard + ":");
            Assert.IsEmpty(report.Swaps);
            CollectionAssert.AreEqual(Balances, await VaultBalancesAsync(), "the vault's USDC and BTC");
            var result = report.Guards.Single(g => g.Guard == guard);
            Assert.IsTrue(result.Fired, result.Detail);
            return result;
        }

        public async Task LogAsync(string scenario, OnChainRebalanceReport report, string? extra = null)
        {
            var vaultAfter = await World.ValueAsync(World.Vault, Price);
            var attackerAfter = await World.ValueAsync(World.Accomplice.Account, Price);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario} | vault {VaultBefore:N2} → {vaultAfter:N2} | accomplice {AttackerBefore:N2} → {attackerAfter:N2} | {(report.Decision.Trade ? "trade" : "no trade")}: {string.Join("; ", report.Guards.Where(g => g.Fired).Select(g => $"{g.Guard}: {g.Detail}"))} {extra}"));
        }

        public void Dispose()
        {
            Keeper.Dispose();
            World.Dispose();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Scratch files in the temp directory.
            }
        }
    }
}

/// <summary>UniswapV2Pair.burn(to): returns the liquidity sent to the pair as its two tokens.</summary>
[Function("burn")]
internal sealed class PairBurnFunction : FunctionMessage
{
    [Parameter("address", "to", 1)] public string To { get; set; } = "";
}
