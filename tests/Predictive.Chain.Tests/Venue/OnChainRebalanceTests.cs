using System.Diagnostics;
using Predictive.Chain.Rpc;
using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Tests.Transactions;
using Predictive.Chain.Transactions;
using Predictive.Chain.Venue;
using Predictive.Core.Venues;

namespace Predictive.Chain.Tests.Venue;

[TestClass]
public sealed class OnChainRebalanceTests : SharedAnvilTests
{
    /// <summary>Within the planner's tolerance: legs below its 50-USDC minimum trade (0.05% of 100,000) plus fees and impact.</summary>
    private const double Tolerance = 0.005;

    private static readonly Dictionary<string, double> Targets = new(StringComparer.Ordinal)
    {
        ["BTC"] = 0.40, ["ETH"] = 0.30, ["SOL"] = 0.05, ["BNB"] = 0.15, ["USDC"] = 0.10,
    };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunAsync_FourAssetVaultNewTargets_EndsWithinPlannerToleranceOfTarget()
    {
        using var world = await OnChainWorld.DeployAsync(Client, Endpoint);
        using var keeper = world.Keeper(Client);
        var venue = world.Venue(Client, keeper);

        var clock = Stopwatch.StartNew();
        var report = await world.Rebalancer(venue).RunAsync(Targets, OnChainWorld.Slot);
        clock.Stop();

        Assert.IsTrue(report.Decision.Trade, report.Decision.Explanation);
        Assert.IsGreaterThanOrEqualTo(4, report.Swaps.Count);
        foreach (var swap in report.Swaps)
        {
            Assert.AreEqual(FillStatus.Filled, swap.Status, swap.FailureReason);
            Assert.StartsWith("0x", swap.TransactionHash!);
            Assert.IsGreaterThan(50_000L, swap.GasUsed);
            Assert.IsGreaterThanOrEqualTo(swap.MinAmountOutRaw, swap.AmountOutRaw);
        }

        foreach (var (symbol, weight) in Targets)
        {
            Assert.AreEqual(weight, report.WeightsAfter[symbol], Tolerance, $"{symbol}: before {report.WeightsBefore[symbol]:F4}, after {report.WeightsAfter[symbol]:F4}");
        }

        Assert.IsFalse(File.Exists(world.RunFile), "a finished run leaves no run file");
        Assert.AreEqual(report.Swaps.Count, await world.SwappedEventCountAsync());
        TestContext.WriteLine($"4-asset rebalance: {report.Swaps.Count} swaps in {clock.Elapsed.TotalSeconds:F2} s; gas per swap " +
            string.Join(", ", report.Swaps.Select(s => $"{s.Order.AssetIn}→{s.Order.AssetOut} {s.GasUsed}")) + $"; total {report.GasUsedTotal}");
    }

    [TestMethod]
    public async Task RunAsync_DryRun_SimulatesWithCallsAndSendsNothing()
    {
        using var world = await OnChainWorld.DeployAsync(Client, Endpoint);
        var keeperNonce = await Client.GetTransactionCountAsync(LocalChain.AnvilDevAccounts.Keeper.Address);
        var venue = world.Venue(Client, keeper: null, dryRun: true);

        var report = await world.Rebalancer(venue).RunAsync(Targets, OnChainWorld.Slot);

        Assert.IsTrue(report.DryRun);
        Assert.IsNotEmpty(report.Swaps);
        Assert.IsTrue(report.Swaps.All(s => s.TransactionHash is null));
        Assert.IsGreaterThan(50_000L, report.Swaps[0].GasUsed, "the first swap's gas is eth_estimateGas");
        Assert.AreEqual(keeperNonce, await Client.GetTransactionCountAsync(LocalChain.AnvilDevAccounts.Keeper.Address));
        Assert.AreEqual(0, await world.SwappedEventCountAsync());
        CollectionAssert.AreEquivalent(report.WeightsBefore.ToList(), report.WeightsAfter.ToList());
    }

    [TestMethod]
    public async Task RunAsync_NodeStopsAnsweringMidRebalance_StopsCleanlyAndResumesFromJournalWithoutDoubling()
    {
        using var world = await OnChainWorld.DeployAsync(Client, Endpoint);
        using var proxy = new LoopbackProxy(Endpoint);
        using var proxied = new EvmRpcClient(new RpcClientOptions
        {
            Endpoint = proxy.Endpoint, MaxRetries = 2, RetryDelay = TimeSpan.FromMilliseconds(20), AttemptTimeout = TimeSpan.FromSeconds(30),
        });
        string? cutAfter = null;
        RebalanceInterruptedException error;
        using (var keeper = world.Keeper(proxied, (c, e) =>
        {
            // The second swap is on its way to the node when the node goes away: sent, receipt not yet read.
            if (c == ExecutionCheckpoint.Sent && e.Intent.Id.Contains($":{OnChainWorld.Slot}:1:", StringComparison.Ordinal))
            {
                cutAfter = e.Intent.Id;
                proxy.Block();
            }

            return ValueTask.CompletedTask;
        }))
        {
            error = await Assert.ThrowsExactlyAsync<RebalanceInterruptedException>(() => world.Rebalancer(world.Venue(proxied, keeper)).RunAsync(Targets, OnChainWorld.Slot));
        }

        Assert.IsNotNull(cutAfter);
        Assert.AreEqual(1, error.SwapIndex);
        Assert.IsInstanceOfType<RpcTransportException>(error.InnerException);
        Assert.Contains("run the rebalance again to resume", error.Message);
        Assert.IsTrue(File.Exists(world.RunFile));
        var plannedSwaps = error.SwapCount;

        proxy.Unblock();
        using var restarted = world.Keeper(proxied);
        var report = await world.Rebalancer(world.Venue(proxied, restarted)).RunAsync(Targets, OnChainWorld.Slot);

        Assert.IsTrue(report.Resumed);
        Assert.AreEqual(error.RunId, report.RunId);
        Assert.HasCount(plannedSwaps, report.Swaps);
        Assert.IsTrue(report.Swaps.Take(2).All(s => s.Resumed), "swaps 1 and 2 were finished from the journal");
        Assert.IsTrue(report.Swaps.All(s => s.Status == FillStatus.Filled), string.Join("; ", report.Swaps.Select(s => s.FailureReason)));
        Assert.AreEqual(plannedSwaps, await world.SwappedEventCountAsync(), "each planned swap executed exactly once");
        foreach (var (symbol, weight) in Targets)
        {
            Assert.AreEqual(weight, report.WeightsAfter[symbol], Tolerance, symbol);
        }
    }

    [TestMethod]
    [DataRow(ExecutionCheckpoint.IntentRecorded)]
    [DataRow(ExecutionCheckpoint.Signed)]
    [DataRow(ExecutionCheckpoint.Broadcast)]
    public async Task RunAsync_CrashDuringThirdSwap_RerunNeverDoublesATrade(ExecutionCheckpoint crashAt)
    {
        using var world = await OnChainWorld.DeployAsync(Client, Endpoint);
        using (var crashing = world.Keeper(Client, (c, e) =>
            c == crashAt && e.Intent.Id.Contains($":{OnChainWorld.Slot}:2:", StringComparison.Ordinal) ? throw new SimulatedCrashException(c) : ValueTask.CompletedTask))
        {
            await Assert.ThrowsExactlyAsync<SimulatedCrashException>(() => world.Rebalancer(world.Venue(Client, crashing)).RunAsync(Targets, OnChainWorld.Slot));
        }

        var run = RebalanceRun.Load(world.RunFile)!;
        using var restarted = world.Keeper(Client);
        var report = await world.Rebalancer(world.Venue(Client, restarted)).RunAsync(Targets, OnChainWorld.Slot);

        Assert.AreEqual(run.RunId, report.RunId);
        Assert.HasCount(run.Orders.Count, report.Swaps);
        CollectionAssert.AreEqual(
            run.Orders.Select(o => world.Swap(o.AssetIn, o.AssetOut, o.AmountIn)).ToArray(),
            (await world.SwappedEventsAsync()).ToArray(),
            "each planned order (pair and amount) executed exactly once, in plan order");
        Assert.IsTrue(restarted.Journal.Entries.All(e => e.Attempts.Count <= 1), "journaled bytes re-broadcast, never re-signed");
        Assert.IsFalse(File.Exists(world.RunFile));
    }

    private static Uri Endpoint => SharedAnvil.Endpoint;
}
