using System.Numerics;
using Nethereum.Contracts;
using Predictive.Chain.Contracts;
using Predictive.Chain.Oracle;
using Predictive.Chain.Transactions;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Chain.Tests.Oracle;

/// <summary>
/// The vault's oracle floor against a hostile keeper key and hostile pools, on anvil. Every figure the issue asks for
/// (vault and attacker value before/after, gas) is written to the test log.
/// </summary>
[TestClass]
public sealed class OracleVaultAttackTests
{
    private const decimal Price = OracleWorld.BtcPrice;
    private static readonly BigInteger Usdc = OracleWorld.Usdc;
    private static readonly BigInteger Btc = OracleWorld.Btc;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Swap_StolenKeeperKeySellsIntoDumpedPool_RevertsOnOracleFloorAndVaultValueUnchanged()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        var vaultBefore = await w.ValueAsync(w.Vault, Price);
        var attackerBefore = await w.ValueAsync(w.Accomplice.Account, Price);
        var (usdcBefore, btcBefore) = (await w.BalanceAsync(w.UsdcToken, w.Vault), await w.BalanceAsync(w.BtcToken, w.Vault));

        // The accomplice dumps 50 BTC into the 100 BTC pool; the stolen key then sells the vault's 2 BTC with a minimum
        // 1 % under the pool's own quote, which the old pool-quote floor (100 bps) accepted.
        await w.AccompliceSwapAsync("dump", w.BtcToken, w.UsdcToken, 50 * Btc);
        var poolQuote = await w.VaultKeeper.QuoteAsync(w.BtcToken, w.UsdcToken, 2 * Btc, 100);
        var result = await w.VaultKeeper.SwapAsync("steal", w.BtcToken, w.UsdcToken, 2 * Btc, poolQuote.MinAmountOut);

        var oracleValue = 2 * 60_000 * Usdc;
        var lossVsOracle = 1 - ((double)poolQuote.ExpectedOut / (double)oracleValue);
        Assert.IsGreaterThan(0.5, lossVsOracle, "the dumped pool pays less than half what the BTC is worth");
        AssertRevert(result, "BelowOracleFloor");
        Assert.AreEqual(oracleValue * (10_000 - SlippageBudget.VaultMaxSlippageBps) / 10_000, (BigInteger)result.Revert!.Arguments[1]!, "floor = 2 BTC × 60,000 × (1 − 4 %)");
        Assert.AreEqual(usdcBefore, await w.BalanceAsync(w.UsdcToken, w.Vault));
        Assert.AreEqual(btcBefore, await w.BalanceAsync(w.BtcToken, w.Vault));
        var vaultAfter = await w.ValueAsync(w.Vault, Price);
        Assert.AreEqual(vaultBefore, vaultAfter);
        TestContext.WriteLine($"stolen key: pool quote {(decimal)poolQuote.ExpectedOut / (decimal)Usdc:N2} USDC for 2 BTC worth 120,000 ({lossVsOracle:P1} below the oracle); " +
            $"vault {vaultBefore:N2} → {vaultAfter:N2} USDC; accomplice {attackerBefore:N2} → {await w.ValueAsync(w.Accomplice.Account, Price):N2} USDC (at the feed price)");
    }

    [TestMethod]
    public async Task Swap_HonestSliceAtPlannerMaxImpactInPoolAtDeviationTolerance_Passes()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        // Push the pool 2 % (the deviation guard's tolerance) below the feed, the side that hurts a seller: after-fee input
        // x' = R (1/√0.98 − 1) takes the mid price R_q/R_b to 0.98 of itself.
        var pushIn = new BigInteger(100m * ((1m / (decimal)Math.Sqrt(0.98)) - 1m) / 0.997m * 1e18m);
        await w.AccompliceSwapAsync("push", w.BtcToken, w.UsdcToken, pushIn);
        var mid = await w.PoolMidAsync();
        var observation = await new OracleReads(w.Client).ObserveAsync(w.Pool, w.BtcToken);
        var sliceBtc = ConstantProduct.MaxAmountInForImpact((decimal)observation.AssetReserve / 1e18m, SlippageBudget.PoolFeeBps, SlippageBudget.PlannerMaxPriceImpactBps / 10_000.0) * 0.999999m;
        var slice = new BigInteger(sliceBtc * 1e18m);
        var quote = await w.VaultKeeper.QuoteAsync(w.BtcToken, w.UsdcToken, slice, SlippageBudget.KeeperSlippageBps);

        var result = await w.VaultKeeper.SwapAsync("honest", w.BtcToken, w.UsdcToken, slice, quote.MinAmountOut);

        Assert.IsTrue(result.Succeeded, result.Revert?.Message ?? result.Entry.FailureReason);
        Assert.IsLessThan(201.0, Math.Abs((double)(mid / Price) - 1) * 10_000, "pool within the deviation tolerance");
        var oracle = (decimal)slice / 1e18m * Price;
        var gapBps = (double)(1 - ((decimal)quote.MinAmountOut / (decimal)Usdc / oracle)) * 10_000;
        Assert.IsLessThan((double)SlippageBudget.VaultMaxSlippageBps, gapBps);
        Assert.IsGreaterThan(350.0, gapBps, "the slice really sits near the budget's edge (fee 30 + impact 100 + slippage 50 + deviation 200 = 380)");
        TestContext.WriteLine($"honest slice {sliceBtc:G6} BTC, pool mid {mid:N2} vs feed {Price:N0}: minimum {gapBps:F1} bps under the oracle quote (budget {SlippageBudget.VaultMaxSlippageBps}); gas of swap with the oracle floor {result.Receipt!.GasUsed.Value}");
    }

    [TestMethod]
    public async Task Swap_ManipulatedPoolThenHonestFreshQuoteForced_MinedAndRevertsOnOracleFloor()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        await w.AccompliceSwapAsync("dump", w.BtcToken, w.UsdcToken, 10 * Btc);
        var (usdcBefore, btcBefore) = (await w.BalanceAsync(w.UsdcToken, w.Vault), await w.BalanceAsync(w.BtcToken, w.Vault));
        var quote = await w.VaultKeeper.QuoteAsync(w.BtcToken, w.UsdcToken, Btc / 2, SlippageBudget.KeeperSlippageBps);

        var (receipt, revert) = await w.ForceSwapAsync(w.BtcToken, w.UsdcToken, Btc / 2, quote.MinAmountOut);

        Assert.AreEqual(BigInteger.Zero, receipt.Status.Value, "mined and reverted");
        Assert.AreEqual("BelowOracleFloor", revert?.Error?.Name, revert?.Message);
        Assert.AreEqual(usdcBefore, await w.BalanceAsync(w.UsdcToken, w.Vault));
        Assert.AreEqual(btcBefore, await w.BalanceAsync(w.BtcToken, w.Vault));
        TestContext.WriteLine($"forced swap into a pool at {await w.PoolMidAsync():N2} (feed {Price:N0}): reverted on chain using {receipt.GasUsed.Value} gas; vault balances unchanged");
    }

    [TestMethod]
    public async Task Swap_FeedStale_RevertsWithFeedStale()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        await w.IncreaseTimeAsync(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(2));

        var result = await HonestSellAsync(w);

        AssertRevert(result, "FeedStale");
        Assert.AreEqual(w.BtcToken, result.Revert!.Arguments[0], "both feeds are an hour old; tokenIn's is checked first and named");
    }

    [TestMethod]
    public async Task Swap_FeedAnswerZero_RevertsWithFeedAnswerNotPositive()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        await w.Feeds.UpdateAsync(w.BtcFeed, BigInteger.Zero, "zero");

        var result = await HonestSellAsync(w);

        AssertRevert(result, "FeedAnswerNotPositive");
        Assert.AreEqual(w.BtcFeed, result.Revert!.Arguments[1]);
    }

    [TestMethod]
    public async Task Swap_FeedAnswerAboveMaximum_RevertsWithFeedAnswerOutOfRange()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(Price * 101), "spike");

        var result = await HonestSellAsync(w);

        AssertRevert(result, "FeedAnswerOutOfRange");
        Assert.AreEqual(PriceFeeds.ToAnswer(Price * 100), (BigInteger)result.Revert!.Arguments[4]!);
    }

    [TestMethod]
    public async Task Swap_FeedRoundUnanswered_RevertsWithFeedRoundIncomplete()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!, unansweredBtcFeed: true);

        var result = await HonestSellAsync(w);

        AssertRevert(result, "FeedRoundIncomplete");
        Assert.AreEqual(new BigInteger(2), (BigInteger)result.Revert!.Arguments[2]!);
        Assert.AreEqual(BigInteger.One, (BigInteger)result.Revert.Arguments[3]!);
    }

    [TestMethod]
    public async Task Swap_PausedByGuardian_RevertsWithEnforcedPauseUntilStrategyAdminUnpauses()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        await w.Guardian.SendAsync("pause", w.Vault, new VaultPauseFunction());

        var paused = await HonestSellAsync(w, "paused");
        var guardianUnpause = await w.Guardian.ExecuteAsync(new TransactionIntent("unpause", w.Vault, new VaultUnpauseFunction().GetCallData()));
        await w.Owner.SendAsync("unpause", w.Vault, new VaultUnpauseFunction());
        var resumed = await HonestSellAsync(w, "resumed");

        AssertRevert(paused, "EnforcedPause");
        AssertRevert(guardianUnpause, "AccessControlUnauthorizedAccount");
        Assert.IsTrue(resumed.Succeeded, resumed.Revert?.Message);
    }

    [TestMethod]
    public async Task AdminCalls_KeeperAndGuardian_RevertWithAccessControlUnauthorizedAccount()
    {
        using var w = await OracleWorld.CreateAsync(TestContext.TestName!);
        var calls = new (string Name, byte[] Data)[]
        {
            ("setFeed", new SetFeedFunction
            {
                Token = w.BtcToken.ToString(), Aggregator = w.UsdcFeed.ToString(), Heartbeat = 3600, MinAnswer = BigInteger.One, MaxAnswer = BigInteger.One << 100,
            }.GetCallData()),
            ("setLimits", new SetLimitsFunction { MaxTradeQuote = BigInteger.One, DailyCapQuote = BigInteger.One, MaxSlippageBps = 10_000 }.GetCallData()),
            ("withdraw", new VaultWithdrawFunction { Token = w.UsdcToken.ToString(), Amount = Usdc, To = w.Keeper.Account.ToString() }.GetCallData()),
            ("grantRole", new GrantRoleFunction { Role = VaultAbi.KeeperRole, Account = w.Accomplice.Account.ToString() }.GetCallData()),
        };

        foreach (var (sender, label) in new[] { (w.Keeper, "keeper"), (w.Guardian, "guardian") })
        {
            foreach (var (name, data) in calls)
            {
                var result = await sender.ExecuteAsync(new TransactionIntent($"{label}:{name}", w.Vault, data));
                AssertRevert(result, "AccessControlUnauthorizedAccount");
                Assert.AreEqual(sender.Account, result.Revert!.Arguments[0], $"{label} {name}");
            }
        }

        var ownerIsStrategyAdmin = await w.Client.QueryAsync<HasRoleFunction, bool>(
            w.Vault, new HasRoleFunction { Role = VaultAbi.StrategyAdminRole, Account = w.Owner.Account.ToString() });
        Assert.IsTrue(ownerIsStrategyAdmin, "without governance the owner holds the strategy-admin role");
    }

    private static async Task<ExecutionResult> HonestSellAsync(OracleWorld w, string id = "sell")
    {
        var quote = await w.VaultKeeper.QuoteAsync(w.BtcToken, w.UsdcToken, Btc / 10, SlippageBudget.KeeperSlippageBps);
        return await w.VaultKeeper.SwapAsync(id, w.BtcToken, w.UsdcToken, Btc / 10, quote.MinAmountOut);
    }

    private static void AssertRevert(ExecutionResult result, string error)
    {
        Assert.IsFalse(result.Succeeded, $"expected {error}");
        Assert.AreEqual(error, result.Revert?.Error?.Name, result.Revert?.Message ?? result.Entry.FailureReason);
    }
}
