using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Chain.Oracle;
using Predictive.Chain.Tests.Contracts;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Tests.Venue;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Oracle;

[TestClass]
public sealed class LocalChainAdvancerTests
{
    [TestMethod]
    public async Task AdvanceAsync_NextBarUpAndDown_PoolsAndFeedsAtTheBarsPricesAndTheGateTrades()
    {
        var client = await SharedAnvil.EnsureStartedAsync();
        using var world = await OnChainWorld.DeployAsync(client, SharedAnvil.Endpoint);
        using var deployer = new TransactionManager(
            client, AnvilDevAccounts.Owner, ExecutionJournal.Open(Path.Combine(world.Directory, "owner.journal.jsonl")),
            new TransactionManagerOptions { PollInterval = TimeSpan.FromMilliseconds(20), MaxFeePerGasCapGwei = 1_000m });
        var bar = new Dictionary<string, decimal> { ["BTC"] = 31_500m, ["ETH"] = 1_900m, ["SOL"] = 25m, ["BNB"] = 288.5m };

        await new LocalChainAdvancer(deployer, ContractArtifactsFixture.Get(), world.Manifest).AdvanceAsync("1", bar, TimeSpan.FromMinutes(35));

        var reads = new OracleReads(client);
        foreach (var asset in world.Manifest.Assets)
        {
            var pool = await reads.ObserveAsync(EthAddress.Parse(asset.Pool!), EthAddress.Parse(asset.Address));
            var mid = OracleReads.Twap(pool, pool, asset.Decimals, 6);
            Assert.AreEqual((double)bar[asset.Symbol], (double)mid, (double)bar[asset.Symbol] * 1e-6, $"{asset.Symbol} pool mid");
            var round = await reads.LatestRoundAsync(EthAddress.Parse(asset.Feed!));
            Assert.AreEqual(PriceFeeds.ToAnswer(bar[asset.Symbol]), round.Answer, $"{asset.Symbol} feed");
        }

        var (quote, assets) = world.Manifest.ToOracle()!.Value;
        var decision = await new OracleGate(client).CheckAsync(quote, assets, 6);
        Assert.IsTrue(decision.Trade, "35 minutes at the bar's prices settle the 30-minute window: " + decision.Reason);
    }

    [TestMethod]
    public void TradeToPrice_PoolBelowTarget_BuysTheAssetWithQuote()
    {
        var (asset, quote) = (EthAddress.Parse("0x0000000000000000000000000000000000000001"), EthAddress.Parse("0x0000000000000000000000000000000000000002"));
        var pool = new PairObservation(DateTimeOffset.UnixEpoch, 100 * BigInteger.Pow(10, 18), 6_000_000 * BigInteger.Pow(10, 6), BigInteger.Zero);

        var (tokenIn, _, amountIn) = LocalChainAdvancer.TradeToPrice(pool, asset, quote, 60_600m, 18, 6);

        // Replay Uniswap V2's getAmountOut on the raw reserves: the new mid price is the target.
        var (rq, ra) = (pool.QuoteReserve, pool.AssetReserve);
        var amountOut = amountIn * 997 * ra / ((rq * 1000) + (amountIn * 997));
        var mid = (double)(rq + amountIn) / 1e6 / ((double)(ra - amountOut) / 1e18);
        Assert.AreEqual(quote, tokenIn);
        Assert.AreEqual(60_600.0, mid, 60_600.0 * 1e-9);
    }
}
