using System.Numerics;
using Predictive.Chain.Governance;
using Predictive.Service.Hosting;

namespace Predictive.Service.Tests.Governance;

/// <summary>How the governed service keeps the registry's decisions beside its state (the dashboard's history).</summary>
[TestClass]
public sealed class ChainModelApprovalTests
{
    private static readonly string Id = "0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf("default"));

    [TestMethod]
    public void EventsFrom_FirstRead_StartsAtTheEarliestApprovalNotGenesis()
    {
        var approval = new ChainModelApproval();

        Assert.AreEqual(new BigInteger(40), approval.EventsFrom(Snapshot(92, 66, 40)));
        Assert.AreEqual(new BigInteger(93), approval.EventsFrom(Snapshot(92)), "an empty registry has no decisions up to its block");
    }

    [TestMethod]
    public void Update_HistoryReadFailed_StateDecidesAndTheSameRangeIsReadAgain()
    {
        var approval = new ChainModelApproval();
        var first = Snapshot(50, 40);
        approval.Update(first, [Approved(40)]);
        Assert.AreEqual(new BigInteger(51), approval.EventsFrom(Snapshot(60, 40, 55)));

        var second = Snapshot(60, 40, 55);
        approval.Update(second, null, "range too large");

        var (snapshot, events, error) = approval.History;
        Assert.AreSame(second, snapshot, "the state still follows the chain");
        Assert.HasCount(1, events);
        Assert.AreEqual("range too large", error);
        Assert.IsNull(approval.Degraded, "a lagging history does not degrade readiness");
        Assert.AreEqual(new BigInteger(51), approval.EventsFrom(Snapshot(61, 40, 55)), "the failed range is read again");

        approval.Update(Snapshot(61, 40, 55), [Approved(55)]);
        Assert.HasCount(2, approval.History.Events);
        Assert.IsNull(approval.History.HistoryError);
        Assert.AreEqual(new BigInteger(62), approval.EventsFrom(Snapshot(70, 40, 55)));
    }

    private static OnChainRegistrySnapshot Snapshot(BigInteger block, params ulong[] approvedAt) =>
        new(block, [.. approvedAt.Select((b, i) => new RegisteredModel(Id, (ulong)i + 1, RegistryStatus.Approved, false, b, new string('a', 63) + i, new string('b', 64), $"predictive-model:default/{i + 1}"))]);

    private static RegistryEvent Approved(ulong block) => new(RegistryEventKind.Approved, block, 0, "0x" + new string('c', 64), Id, 1, new string('a', 64), "u", null, null);
}
