using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Tests.Contracts;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Venue;
using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Planning;

namespace Predictive.Chain.Tests.Venue;

/// <summary>
/// The live composition on anvil against a pool an attacker moved: an account mints 2,000,000 USDC and buys BTC through
/// the router, pushing the BTC pool far above the reference price; the keeper's next run must not trade into it.
/// </summary>
[TestClass]
public sealed class LiveGuardAnvilTests : SharedAnvilTests
{
    private const decimal AttackUsdc = 2_000_000m;

    /// <summary>anvil's third default account (not the owner's, not the keeper's).</summary>
    private static readonly PrivateKey Attacker = PrivateKey.FromHex("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    private static readonly Dictionary<string, double> Targets = new(StringComparer.Ordinal)
    {
        ["BTC"] = 0.40, ["ETH"] = 0.30, ["SOL"] = 0.05, ["BNB"] = 0.15, ["USDC"] = 0.10,
    };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_AttackerPumpsBtcPool_NoTradeReasonNamesDeviationGuardAndVaultUnchanged()
    {
        using var world = await OnChainWorld.DeployAsync(Client, Endpoint);
        using var keeper = world.Keeper(Client);
        var venue = world.Venue(Client, keeper);
        var before = await venue.GetHoldingsAsync(TestContext.CancellationToken);
        var poolBefore = (await venue.GetSnapshotAsync(TestContext.CancellationToken)).Pools.Single(p => p.Contains("BTC")).MidPrice("BTC");

        await PumpBtcAsync(world);
        var poolAfter = (await venue.GetSnapshotAsync(TestContext.CancellationToken)).Pools.Single(p => p.Contains("BTC")).MidPrice("BTC");
        var moveBps = ((poolAfter / poolBefore) - 1) * 10_000;
        Assert.IsGreaterThan(3_000.0, moveBps, "the attack moves the pool by more than 30 %");

        var report = await Rebalancer(world, venue, PolicySpec.Full(), new TradePlannerOptions { MaxPriceImpactBps = 100 }).RunAsync(Targets, "20250601T01Z", TestContext.CancellationToken);

        TestContext.WriteLine($"pool moved {moveBps:F0} bps; {report.Decision.Explanation}");
        Assert.IsFalse(report.Decision.Trade);
        Assert.AreEqual("GuardFired", report.Decision.Reason);
        var deviation = report.Guards.Single(g => g.Guard == "price-deviation");
        Assert.IsTrue(deviation.Fired);
        Assert.AreEqual("BTC", deviation.Asset);
        Assert.AreEqual(moveBps, deviation.Value, 1.0, "the guard measures the pool's move against the reference");
        StringAssert.Contains(report.Decision.Explanation, "price-deviation");
        StringAssert.Contains(report.Decision.Explanation, "BTC pool price");
        Assert.IsEmpty(report.Swaps);
        Assert.AreEqual(0, await world.SwappedEventCountAsync());
        CollectionAssert.AreEquivalent(before.Quantities.ToList(), (await venue.GetHoldingsAsync(TestContext.CancellationToken)).Quantities.ToList());
    }

    [TestMethod]
    public async Task RunAsync_PoolPumpedAfterFirstSlice_SecondSliceNotSentWithGuardReason()
    {
        using var world = await OnChainWorld.DeployAsync(Client, Endpoint);
        using var keeper = world.Keeper(Client);
        var venue = world.Venue(Client, keeper);
        // A calendar policy decides once (bar 0); the small impact limit splits the BTC buy into slices over later runs.
        var rebalancer = Rebalancer(world, venue, PolicySpec.Calendar(1_000), new TradePlannerOptions { MaxPriceImpactBps = 5 });

        var first = await rebalancer.RunAsync(Targets, "20250601T01Z", TestContext.CancellationToken);
        Assert.IsTrue(first.Decision.Trade, first.Decision.Explanation);
        Assert.IsGreaterThan(0, first.PendingSlices, "slices remain for later runs");
        var sentFirst = await world.SwappedEventCountAsync();
        var btcAfterFirst = (await venue.GetHoldingsAsync(TestContext.CancellationToken)).Quantity("BTC");

        await PumpBtcAsync(world);
        var second = await rebalancer.RunAsync(Targets, "20250601T02Z", TestContext.CancellationToken);

        TestContext.WriteLine(string.Join(" | ", second.Notes));
        Assert.AreEqual(1, second.Bar);
        Assert.IsFalse(second.Decision.Trade, "not a calendar date: only the due slices could trade");
        var fired = second.SliceGuards.Single(g => g.Fired);
        Assert.AreEqual(("price-deviation", "BTC"), (fired.Guard, fired.Asset));
        Assert.IsTrue(second.Notes.Any(n => n.Contains("→BTC slice 2 of", StringComparison.Ordinal) && n.Contains("not sent: blocked by guard (price-deviation", StringComparison.Ordinal)), string.Join(" | ", second.Notes));
        Assert.IsEmpty(second.Swaps);
        Assert.AreEqual(sentFirst, await world.SwappedEventCountAsync());
        Assert.AreEqual(btcAfterFirst, (await venue.GetHoldingsAsync(TestContext.CancellationToken)).Quantity("BTC"));
    }

    private static Uri Endpoint => SharedAnvil.Endpoint;

    private static OnChainRebalancer Rebalancer(OnChainWorld world, OnChainVenue venue, PolicySpec policy, TradePlannerOptions planner) => world.Rebalancer(venue, policy, planner);

    /// <summary>The attacker gets 2,000,000 USDC minted and spends it on BTC through the router.</summary>
    private async Task PumpBtcAsync(OnChainWorld world)
    {
        var market = world.Manifest.ToMarket();
        var usdc = market.Quote;
        var btc = market.Token("BTC");
        var amount = TokenAmounts.ToRaw(AttackUsdc, usdc.Decimals, UnitRounding.Down);
        using var owner = world.Manager(AnvilDevAccounts.Owner, $"owner-mint-{Guid.NewGuid():N}");
        using var attacker = world.Manager(Attacker, $"attacker-{Guid.NewGuid():N}");
        var tag = Guid.NewGuid().ToString("N");
        await new TokenDeployer(owner, ContractArtifactsFixture.Get()).MintAsync(usdc.Address, Attacker.Address, amount, $"mint:attack:{tag}", TestContext.CancellationToken);
        var router = EthAddress.Parse(world.Manifest.Router);
        await attacker.SendAsync($"approve:{tag}", usdc.Address, new ApproveFunction { Spender = router.ToString(), Amount = amount });
        var deadline = await Client.DeadlineAsync(TimeSpan.FromMinutes(10), TestContext.CancellationToken);
        await attacker.SendAsync($"pump:{tag}", router, new SwapExactTokensForTokensFunction
        {
            AmountIn = amount, AmountOutMin = BigInteger.Zero, Path = [usdc.Address.ToString(), btc.Address.ToString()], To = Attacker.Address.ToString(), Deadline = deadline,
        });
    }
}
