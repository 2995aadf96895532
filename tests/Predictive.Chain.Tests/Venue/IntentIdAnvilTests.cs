using Predictive.Chain.Tests.Rpc;
using Predictive.Chain.Venue;
using Predictive.Core.Venues;

namespace Predictive.Chain.Tests.Venue;

/// <summary>
/// Defect 3 of issue 12: intent ids come from vault, decision slot, leg and order content, so processes sharing the
/// keeper's journal neither collide (a new slot trades) nor trade twice (the same slot finds the first one's intents).
/// </summary>
[TestClass]
public sealed class IntentIdAnvilTests : SharedAnvilTests
{
    private static readonly SwapOrder First = new("USDC", "BTC", 1_000m, 0m);
    private static readonly SwapOrder Second = new("SOL", "USDC", 10m, 0m);

    [TestMethod]
    public async Task ExecuteAsync_NewProcessNextSlot_TradesItsOrderInsteadOfReportingTheFirstProcessFill()
    {
        using var world = await OnChainWorld.DeployAsync(Client, SharedAnvil.Endpoint);
        await ExecuteInNewProcessAsync(world, "bar-1", First);

        var fill = await ExecuteInNewProcessAsync(world, "bar-2", Second);

        Assert.AreEqual(FillStatus.Filled, fill.Status);
        Assert.AreEqual(10m, fill.AmountIn, "the fill is the second order's, not the first one's");
        CollectionAssert.AreEqual(
            new[] { world.Swap("USDC", "BTC", 1_000m), world.Swap("SOL", "USDC", 10m) },
            (await world.SwappedEventsAsync()).ToArray(),
            "each order traded exactly once, in order");
    }

    [TestMethod]
    public async Task ExecuteAsync_SecondProcessSameSlotSameOrder_FindsTheFirstIntentAndTradesOnce()
    {
        using var world = await OnChainWorld.DeployAsync(Client, SharedAnvil.Endpoint);
        var first = await ExecuteInNewProcessAsync(world, "bar-1", First);

        var again = await ExecuteInNewProcessAsync(world, "bar-1", First);

        Assert.AreEqual(first.AmountOut, again.AmountOut, "the journaled fill is reported");
        CollectionAssert.AreEqual(new[] { world.Swap("USDC", "BTC", 1_000m) }, (await world.SwappedEventsAsync()).ToArray(), "traded once");
    }

    [TestMethod]
    public async Task ExecuteAsync_SecondProcessSameSlotDifferentOrder_RefusesAndSendsNothing()
    {
        using var world = await OnChainWorld.DeployAsync(Client, SharedAnvil.Endpoint);
        await ExecuteInNewProcessAsync(world, "bar-1", First);

        var e = await Assert.ThrowsExactlyAsync<VenueException>(() => ExecuteInNewProcessAsync(world, "bar-1", Second));

        Assert.Contains("already holds intent", e.Message);
        CollectionAssert.AreEqual(new[] { world.Swap("USDC", "BTC", 1_000m) }, (await world.SwappedEventsAsync()).ToArray(), "only the first order traded");
    }

    [TestMethod]
    public void For_SameInputs_SameIdAndAnyChangedInputChangesIt()
    {
        var a = Predictive.Chain.Crypto.EthAddress.Parse("0x0000000000000000000000000000000000000001");
        var b = Predictive.Chain.Crypto.EthAddress.Parse("0x0000000000000000000000000000000000000002");
        var id = SwapIntentIds.For(a, "s", 0, a, b, 5, 1);

        Assert.AreEqual(id, SwapIntentIds.For(a, "s", 0, a, b, 5, 1));
        var variants = new[]
        {
            SwapIntentIds.For(b, "s", 0, a, b, 5, 1), SwapIntentIds.For(a, "t", 0, a, b, 5, 1), SwapIntentIds.For(a, "s", 1, a, b, 5, 1),
            SwapIntentIds.For(a, "s", 0, b, a, 5, 1), SwapIntentIds.For(a, "s", 0, a, b, 6, 1), SwapIntentIds.For(a, "s", 0, a, b, 5, 2),
        };
        Assert.IsFalse(variants.Contains(id));
        Assert.HasCount(variants.Length, variants.Distinct());
        Assert.StartsWith(SwapIntentIds.LegPrefix(a, "s", 0), id);
    }

    private static async Task<SwapFill> ExecuteInNewProcessAsync(OnChainWorld world, string slot, SwapOrder order)
    {
        using var keeper = world.Keeper(world.Client);
        var venue = world.Venue(world.Client, keeper);
        venue.BeginSlot(slot);
        return await venue.ExecuteAsync(order);
    }
}
