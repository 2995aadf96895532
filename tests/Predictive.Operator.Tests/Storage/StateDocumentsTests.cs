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
    public async Task WriteAndDelete_FencedWriterLostItsLease_RefusedAndStateUnchanged(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var a = await FencedWriterAsync(database);
        await TestDatabase.HandOverLeaseAsync(database, "vault-a", "operator:node-a", "operator:node-b");

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => a.Write("keeper.state.json", "{\"NextBar\":2}"));
        var d = Assert.ThrowsExactly<InvalidOperationException>(() => a.Delete("keeper.state.json"));

        StringAssert.Contains(e.Message, "no longer holds the lease");
        StringAssert.Contains(d.Message, "operator:node-a no longer holds the lease of vault-a; the state was not deleted");
        Assert.AreEqual("{\"NextBar\":1}", new SqlStateDocuments(database, "vault-a").Read("keeper.state.json"), "neither the write nor the delete of a node without the lease took effect");
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Write_SameOwnerLeaseExpired_RefusedByTheExpiryClause(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        var database = fixture.Database;
        var a = await FencedWriterAsync(database);
        await TestDatabase.ExpireLeaseAsync(database, "vault-a");

        var e = Assert.ThrowsExactly<InvalidOperationException>(() => a.Write("keeper.state.json", "{\"NextBar\":2}"));

        StringAssert.Contains(e.Message, "operator:node-a no longer holds the lease of vault-a");
        Assert.AreEqual("{\"NextBar\":1}", new SqlStateDocuments(database, "vault-a").Read("keeper.state.json"), "the row still names node-a, but it expired");
    }

    [TestMethod]
    [DataRow("sqlite")]
    [DataRow("postgres")]
    public async Task Delete_MissingDocumentLeaseHeld_NoError(string provider)
    {
        using var fixture = await TestDatabase.CreateAsync(provider);
        await TestDatabase.HoldLeaseAsync(fixture.Database, "vault-a", "operator:node-a");

        new SqlStateDocuments(fixture.Database, "vault-a", new LeaseFence("vault-a", "operator:node-a")).Delete("never-written.json");

        Assert.IsNull(new SqlStateDocuments(fixture.Database, "vault-a").Read("never-written.json"));
    }

    [TestMethod]
    public async Task LeaseFenceCommand_NoPlaceholder_ThrowsNamingIt()
    {
        using var fixture = await TestDatabase.CreateAsync("sqlite");
        await using var connection = await fixture.Database.OpenAsync(CancellationToken.None);

        var e = Assert.ThrowsExactly<ArgumentException>(() => LeaseFence.Command(new LeaseFence("v", "o"), TimeProvider.System, connection, "DELETE FROM keeper_state WHERE scope = @p0;", "v"));

        Assert.AreEqual("sql", e.ParamName);
        StringAssert.Contains(e.Message, LeaseFence.Condition);
    }

    [TestMethod]
    public async Task LeaseFenceCommand_NullFence_ConditionAlwaysTrueAndNoLeaseParameters()
    {
        using var fixture = await TestDatabase.CreateAsync("sqlite");
        await using var connection = await fixture.Database.OpenAsync(CancellationToken.None);

        await using var command = LeaseFence.Command(null, TimeProvider.System, connection, $"SELECT @p0 WHERE {LeaseFence.Condition};", 7L);

        Assert.AreEqual("SELECT @p0 WHERE 1 = 1;", command.CommandText);
        Assert.AreEqual(1, command.Parameters.Count);
        Assert.AreEqual(7L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), "no lease row is needed");
    }

    /// <summary>node-a's state documents of vault-a, fenced by its lease (taken here), with one state written.</summary>
    private static async Task<SqlStateDocuments> FencedWriterAsync(OperatorDatabase database)
    {
        await TestDatabase.HoldLeaseAsync(database, "vault-a", "operator:node-a");
        var a = new SqlStateDocuments(database, "vault-a", new LeaseFence("vault-a", "operator:node-a"));
        a.Write("keeper.state.json", "{\"NextBar\":1}");
        return a;
    }
}
