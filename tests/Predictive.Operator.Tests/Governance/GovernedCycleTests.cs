using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Predictive.Chain.Governance;
using Predictive.Core.Synthetic;
using Predictive.Onnx.Registry;
using Predictive.Operator.Lifecycle;
using Predictive.Operator.Storage;
using Predictive.Operator.Tests.Support;

namespace Predictive.Operator.Tests.Governance;

/// <summary>
/// The cycle with governance on, end to end on anvil: the champion is the registry's active version, the winner is
/// proposed (never activated by the operator), and once the voters pass the proposal the governed service serves it.
/// </summary>
[TestClass]
[TestCategory("Slow")]
public sealed class GovernedCycleTests
{
    private const string ModelName = "operator-allocator";
    private const int MarketSeed = 1;

    private static readonly TimeSpan CycleTimeout = TimeSpan.FromSeconds(180);

    [TestMethod]
    public async Task Cycle_GovernedWithWeakChampion_ProposalExecutedAndChallengerServed()
    {
        using var folder = new TempFolder();
        await using var chain = await GovernedChain.StartAsync();
        var settings = OperatorHarness.QuickSettings(folder);
        var models = settings["Operator:ModelsDirectory"]!;
        var worst = WeakChampion.WorstAsset(SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = MarketSeed }), 180, out var assets);
        var championDirectory = WeakChampion.Write(models, ModelName, "1", assets, worst);

        // The weak champion is the chain's active version, by a vote.
        var (championProposal, _) = await chain.Governance.ProposeModelAsync(ModelCandidate.FromDirectory(championDirectory), activate: true);
        Assert.AreEqual(ProposalState.Executed, await chain.PassAsync(championProposal.Id));
        using var service = new ServiceFactory(models, chain.ServiceSettings(ModelName));
        using var client = service.Start();
        await OperatorHarness.WaitUntilAsync(async () => await DefaultAsync(client) == $"{ModelName}/1", TimeSpan.FromSeconds(30), "the governed service to serve the approved champion");

        settings["Operator:Data:Seed"] = MarketSeed.ToString(CultureInfo.InvariantCulture);
        settings["Operator:Governance:Enabled"] = "true";
        settings["Operator:Governance:RpcUrl"] = chain.RpcUrl;
        settings["Operator:Governance:Governor"] = chain.Addresses.Governor;
        settings["Operator:Governance:Registry"] = chain.Addresses.Registry;
        settings["Operator:Governance:ProposerKey"] = GovernedChain.OwnerKeyHex;
        await using var op = await OperatorHarness.StartAsync(settings, retrainEvery: 5);
        await op.WaitAsync(() => op.FinishedAsync("promote"), CycleTimeout, "the promote run");
        var challenger = (await op.Challengers.ListAsync(CancellationToken.None)).Single();
        Assert.AreEqual(ChallengerStatus.Promoted, challenger.Status, challenger.Note);
        var evaluation = JsonSerializer.Deserialize<Evaluation>(challenger.EvaluationJson!)!;
        Assert.AreEqual($"{ModelName}/1", evaluation.Champion, "the champion is the registry's active version");
        Assert.IsTrue(evaluation.Promote, evaluation.Reason);

        // Filed, not activated: one new proposal carrying the challenger's own hashes, not yet decided; the service still
        // serves the champion and no activation record was written.
        var proposal = (await chain.Governance.ListAsync()).Single(p => p.Id != championProposal.Id);
        var expectedCalls = GovernanceClient.ModelCalls(ModelCandidate.FromDirectory(challenger.Directory), activate: true);
        Assert.HasCount(expectedCalls.Count, proposal.Calldatas);
        for (var i = 0; i < expectedCalls.Count; i++)
        {
            CollectionAssert.AreEqual(expectedCalls[i], proposal.Calldatas[i]);
        }

        StringAssert.Contains(challenger.Note, proposal.Id.ToString(CultureInfo.InvariantCulture));
        Assert.IsTrue((await chain.Governance.StatusAsync(proposal.Id)).State is ProposalState.Pending or ProposalState.Active);
        Assert.AreEqual($"{ModelName}/1", await DefaultAsync(client), "nothing is served before the vote");
        Assert.IsNull(ActiveModelFile.Read(models), "the operator activated nothing itself");

        // The voters pass it; the governed service then serves the challenger, with its evaluated SHA-256.
        Assert.AreEqual(ProposalState.Executed, await chain.PassAsync(proposal.Id));
        await OperatorHarness.WaitUntilAsync(async () => await DefaultAsync(client) == challenger.Key, TimeSpan.FromSeconds(30), "the governed service to serve the executed challenger");
        var listing = await client.GetFromJsonAsync<JsonElement>(new Uri("v1/models", UriKind.Relative));
        var served = listing.GetProperty("loaded").EnumerateArray().Single(m => $"{m.GetProperty("name").GetString()}/{m.GetProperty("version").GetString()}" == challenger.Key);
        Assert.AreEqual(challenger.Sha256, served.GetProperty("sha256").GetString());
    }

    private static async Task<string?> DefaultAsync(HttpClient client)
    {
        var listing = await client.GetFromJsonAsync<JsonElement>(new Uri("v1/models", UriKind.Relative));
        return listing.TryGetProperty("default", out var d) ? d.GetString() : null;
    }
}
