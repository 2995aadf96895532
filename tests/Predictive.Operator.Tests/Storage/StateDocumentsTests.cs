using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Storage;

/// <summary>A keeper's live state in the operator's database, on both providers: what one node saves another reads, and a node without the lease writes nothing.</summary>
[TestClass]
[TestCategory("Integration")]
public sealed class StateDocumentsTests
{
    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Save_ThenLoadOnAnotherNode_SameStateAndDeleteRemovesIt(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var saved = new PipelineState { NextBar = 41 };
        saved.Save(new SqlStateDocuments(database, "vault-a"), "keeper.state.json");
        new PipelineState { NextBar = 7 }.Save(new SqlStateDocuments(database, "vault-b"), "keeper.state.json");
        saved.NextBar = 42;
        saved.Save(new SqlStateDocuments(database, "vault-a"), "keeper.state.json");

        var other = new SqlStateDocuments(database, "vault-a");
        Assert.AreEqual(42, PipelineState.Load(other, "keeper.state.json").NextBar, "the latest save, of this vault");
        other.Delete("keeper.state.json");
        Assert.IsNull(other.Read("keeper.state.json"));
        Assert.AreEqual(0, PipelineState.Load(other, "keeper.state.json").NextBar, "a fresh state once deleted");
        Assert.AreEqual(7, PipelineState.Load(new SqlStateDocuments(database, "vault-b"), "keeper.state.json").NextBar);
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Write_FencedWriterLostItsLease_RefusedAndStateUnchanged(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        await TestDatabase.HoldLeaseAsync(database, "vault-a", "operator:node-a");
        var a = new SqlStateDocuments(database, "vault-a", new LeaseFence("vault-a", "operator:node-a"));
        a.Write("keeper.state.json", "{\"NextBar\":1}");
        await TestDatabase.HandOverLeaseAsync(database, "vault-a", "operator:node-a", "operator:node-b");

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => a.Write("keeper.state.json", "{\"NextBar\":2}"));
        a.Delete("keeper.state.json");

        StringAssert.Contains(e.Message, "no longer holds the lease");
        Assert.AreEqual("{\"NextBar\":1}", new SqlStateDocuments(database, "vault-a").Read("keeper.state.json"), "neither the write nor the delete of a node without the lease took effect");
    }
}
