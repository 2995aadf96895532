using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Oracle;

namespace Predictive.Chain.Tests.Oracle;

/// <summary>
/// Off-chain oracle hygiene on anvil: each hostile or broken condition means no trade, with a reason naming the feed and
/// the check. Every world first lets 31 minutes pass, so the 30-minute window lies after its deployment.
/// </summary>
[TestClass]
public sealed class OracleGateAnvilTests
{

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Check_HonestWorld_TradesAtTheFeedPrice()
    {
        using var w = await WorldAsync();

        var decision = await CheckAsync(w);

        Assert.IsTrue(decision.Trade, decision.Reason);
        Assert.AreEqual(OracleWorld.BtcPrice, decision.Prices["BTC"]);
    }

    [TestMethod]
    public async Task Check_FeedFivePercentAboveTheTwap_RefusesWithTwapDeviationNamingTheFeed()
    {
        using var w = await WorldAsync();
        await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(63_000m), "feed-up");

        var decision = await CheckAsync(w);

        var refusal = Single(decision, "twap-deviation");
        Assert.AreEqual(w.BtcFeed, refusal.Feed);
        StringAssert.Contains(refusal.Reason, w.BtcFeed.ToString());
        StringAssert.Contains(refusal.Reason, "500 bps", "the pool stayed at 60,000 for the whole window: |63,000 / 60,000 − 1| = 500 bps");
    }

    [TestMethod]
    public async Task Check_PoolDumpedInTheLastBlock_RefusesWithPoolDeviationWhileTheTwapHolds()
    {
        using var w = await WorldAsync();
        await w.AccompliceSwapAsync("dump", w.BtcToken, w.UsdcToken, 10 * OracleWorld.Btc);

        var decision = await CheckAsync(w);

        Assert.AreEqual(w.BtcFeed, Single(decision, "pool-deviation").Feed);
        Assert.IsFalse(decision.Refusals.Any(r => r.Check == "twap-deviation"), "one block's manipulation barely moves a 30-minute TWAP: " + decision.Reason);
    }

    [TestMethod]
    public async Task Check_PoolDrained70Percent_RefusesWithLiquidityDrought()
    {
        using var w = await WorldAsync();
        var lp = await w.BalanceAsync(w.Pool, w.Owner.Account);
        await w.Owner.SendAsync("lp-to-pair", w.Pool, new TransferFunction { To = w.Pool.ToString(), Amount = lp * 7 / 10 });
        await w.Owner.SendAsync("burn", w.Pool, new PairBurnFunction { To = w.Owner.Account.ToString() });

        var decision = await CheckAsync(w);

        StringAssert.Contains(Single(decision, "liquidity-drought").Reason, "70.0 %");
    }

    [TestMethod]
    public async Task Check_FeedDrops30PercentWithinTheWindow_RefusesWithFeedMove()
    {
        using var w = await WorldAsync();
        await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(42_000m), "crash");

        var decision = await CheckAsync(w);

        StringAssert.Contains(Single(decision, "feed-move").Reason, "-30.0%");
    }

    [TestMethod]
    public async Task Check_FeedOlderThanHeartbeat_RefusesWithStale()
    {
        using var w = await WorldAsync();
        await w.IncreaseTimeAsync(TimeSpan.FromMinutes(61));

        var decision = await CheckAsync(w);

        Assert.AreEqual(w.UsdcFeed, Single(decision, "stale", "USDC").Feed);
        Assert.AreEqual(w.BtcFeed, Single(decision, "stale", "BTC").Feed);
    }

    [TestMethod]
    public async Task Check_FeedAnswerZero_RefusesWithNonPositive()
    {
        using var w = await WorldAsync();
        await w.Feeds.UpdateAsync(w.BtcFeed, BigInteger.Zero, "zero");

        var decision = await CheckAsync(w);

        Assert.AreEqual(w.BtcFeed, Single(decision, "non-positive").Feed);
        Assert.IsFalse(decision.Prices.ContainsKey("BTC"));
    }

    [TestMethod]
    public async Task Check_FeedRoundUnanswered_RefusesWithUnansweredRound()
    {
        using var w = await WorldAsync(unanswered: true);

        var decision = await CheckAsync(w);

        StringAssert.Contains(Single(decision, "unanswered-round").Reason, "round 2 is unanswered (answeredInRound 1)");
    }

    private async Task<OracleWorld> WorldAsync(bool unanswered = false)
    {
        var w = await OracleWorld.CreateAsync(TestContext.TestName!, unanswered);
        await w.IncreaseTimeAsync(TimeSpan.FromMinutes(31));
        if (!unanswered)
        {
            // Feeds are refreshed as a live feed would be (well within the heartbeat) before the test's own change.
            await w.Feeds.UpdateAsync(w.BtcFeed, PriceFeeds.ToAnswer(OracleWorld.BtcPrice), "refresh:btc");
        }

        await w.Feeds.UpdateAsync(w.UsdcFeed, PriceFeeds.ToAnswer(1m), "refresh:usdc");
        return w;
    }

    private async Task<OracleDecision> CheckAsync(OracleWorld w)
    {
        var decision = await new OracleGate(w.Client).CheckAsync(w.UsdcAsset, [w.BtcAsset], 6);
        TestContext.WriteLine(decision.Trade ? "trade" : "no trade: " + decision.Reason);
        return decision;
    }

    private static OracleRefusal Single(OracleDecision decision, string check, string symbol = "BTC")
    {
        Assert.IsFalse(decision.Trade);
        return decision.Refusals.Single(r => r.Check == check && r.Symbol == symbol);
    }
}

/// <summary>UniswapV2Pair.burn(to): returns the pair's LP tokens held by the pair as the two underlying tokens.</summary>
[Nethereum.ABI.FunctionEncoding.Attributes.Function("burn")]
public sealed class PairBurnFunction : Nethereum.Contracts.FunctionMessage
{
    [Nethereum.ABI.FunctionEncoding.Attributes.Parameter("address", "to", 1)]
    public string To { get; set; } = "";
}
