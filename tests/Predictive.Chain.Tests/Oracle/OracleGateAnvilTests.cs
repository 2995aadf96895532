using System.Numerics;
using Predictive.Chain.Oracle;

namespace Predictive.Chain.Tests.Oracle;

/// <summary>
/// Off-chain oracle hygiene on anvil, the checks only the oracle can make: each broken condition is refused with a reason
/// naming the feed and the check. Every world first lets 31 minutes pass, so the 30-minute window lies after its
/// deployment. (Pools, droughts and crashes are the composition's guards': OracleCompositionAnvilTests.)
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

    private Task<OracleWorld> WorldAsync(bool unanswered = false) => OracleWorld.SettledAsync(TestContext.TestName!, unanswered);

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
