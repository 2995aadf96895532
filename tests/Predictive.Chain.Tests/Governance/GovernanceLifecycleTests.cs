using System.Diagnostics;
using System.Security.Cryptography;
using Nethereum.Contracts;
using Predictive.Chain.Contracts;
using Predictive.Chain.Governance;

namespace Predictive.Chain.Tests.Governance;

[TestClass]
public sealed class GovernanceLifecycleTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Lifecycle_ProposeVoteQueueExecute_RegistryApprovesAndActivatesTheFileHash()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var model = world.Model("default", 1, "lifecycle");
        var onDisk = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(world.DirectoryOf(model), "model.onnx"))));
        var clock = Stopwatch.StartNew();
        var governance = world.Client(world.Deployer);

        var (proposal, proposeReceipt) = await governance.ProposeModelAsync(model, activate: true);
        var status = await governance.StatusAsync(proposal.Id);
        await world.Clock.MinePastAsync(status.SnapshotBlock);
        var voteReceipt = await governance.VoteAsync(proposal.Id, VoteSupport.For, "validated");
        await world.Clock.MinePastAsync(status.DeadlineBlock);
        Assert.AreEqual(ProposalState.Succeeded, (await governance.StatusAsync(proposal.Id)).State);
        var queueReceipt = await governance.QueueAsync(proposal);
        var queued = await governance.StatusAsync(proposal.Id);
        Assert.AreEqual(ProposalState.Queued, queued.State);
        await world.Clock.AdvanceTimeToAsync(queued.Eta);
        var executeReceipt = await governance.ExecuteAsync(proposal);
        clock.Stop();

        Assert.AreEqual(ProposalState.Executed, (await governance.StatusAsync(proposal.Id)).State);
        var registry = await world.Registry.ReadConfirmedAsync(0);
        var entry = registry.ApprovedByOnnx(onDisk);
        Assert.IsNotNull(entry, "the executed proposal approves the file's SHA-256");
        Assert.IsTrue(entry.Active);
        Assert.AreEqual(1UL, entry.Version);
        Assert.AreEqual("0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf("default")), entry.ModelId);
        Assert.AreEqual(1, executeReceipt.DecodeAllEvents<ModelApprovedEvent>().Count);
        Assert.AreEqual(1, executeReceipt.DecodeAllEvents<ModelActivatedEvent>().Count);
        TestContext.WriteLine($"lifecycle wall time {clock.ElapsedMilliseconds} ms; gas propose {proposeReceipt.GasUsed.Value}, vote {voteReceipt.GasUsed.Value}, queue {queueReceipt.GasUsed.Value}, execute {executeReceipt.GasUsed.Value}");
    }

    [TestMethod]
    public async Task Execute_BeforeTimelockEta_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var proposal = await world.ProposeAndVoteAsync(world.Model("default", 1, "early"), true, VoteSupport.For, null, null);
        var governance = world.Client(world.Deployer);
        await governance.QueueAsync(proposal);
        var eta = (await governance.StatusAsync(proposal.Id)).Eta;
        Assert.IsTrue(await world.Clock.TimestampAsync() < eta, "the test executes before the eta");

        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => governance.ExecuteAsync(proposal));
        Assert.AreEqual(ProposalState.Queued, (await governance.StatusAsync(proposal.Id)).State);
        Assert.AreEqual(0, (await world.Registry.ReadConfirmedAsync(0)).Models.Count);
    }

    [TestMethod]
    public async Task Defeated_MajorityAgainst_OldActiveModelStaysActive()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var governance = world.Client(world.Deployer);
        var first = await world.ProposeAndVoteAsync(world.Model("default", 1, "old"), true, VoteSupport.For, null, null);
        await world.QueueAndExecuteAsync(first);

        // 50 % for (account 0) against 30 % + 20 % against: equal, and a tie is not a majority for.
        var second = await world.ProposeAndVoteAsync(world.Model("default", 2, "new"), true, VoteSupport.For, VoteSupport.Against, VoteSupport.Against);

        Assert.AreEqual(ProposalState.Defeated, (await governance.StatusAsync(second.Id)).State);
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => governance.QueueAsync(second));
        var registry = await world.Registry.ReadConfirmedAsync(0);
        var active = registry.Models.Single(m => m.Active);
        Assert.AreEqual(1UL, active.Version);
        Assert.AreEqual(1, registry.Models.Count, "the defeated version was never approved");
    }

    [TestMethod]
    public async Task Guardian_CancelsQueuedProposal_ItNeverExecutes()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var proposal = await world.ProposeAndVoteAsync(world.Model("default", 1, "vetoed"), true, VoteSupport.For, VoteSupport.For, null);

        await world.AssertGuardianVetoesAsync(proposal);

        Assert.AreEqual(0, (await world.Registry.ReadConfirmedAsync(0)).Models.Count);
    }

    [TestMethod]
    public async Task Guardian_ApprovesOrProposes_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var model = world.Model("default", 1, "guardian");
        var approve = new RegistryApproveFunction
        {
            ModelId = model.ModelId, Version = model.Version, OnnxSha256 = model.OnnxSha256, ManifestSha256 = model.ManifestSha256, Uri = model.Uri,
        };

        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() =>
            world.Guardian.Eth.GetContractTransactionHandler<RegistryApproveFunction>().SendRequestAndWaitForReceiptAsync(world.Addresses.Registry, approve));
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => world.Client(world.Guardian).ProposeModelAsync(model, activate: true));
        Assert.AreEqual(0, (await world.Registry.ReadConfirmedAsync(0)).Models.Count);
    }

    [TestMethod]
    public async Task Deploy_TimelockRoles_GovernorProposesGuardianCancelsAnyoneExecutesNoAdmin()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var a = world.Addresses;
        var deployer = world.Deployer.TransactionManager.Account.Address;

        Assert.IsTrue(await HasRole(world, GovernanceRoles.Proposer, a.Governor));
        Assert.IsFalse(await HasRole(world, GovernanceRoles.Proposer, deployer));
        Assert.IsFalse(await HasRole(world, GovernanceRoles.Proposer, a.Guardian));
        Assert.IsTrue(await HasRole(world, GovernanceRoles.Canceller, a.Governor));
        Assert.IsTrue(await HasRole(world, GovernanceRoles.Canceller, a.Guardian));
        Assert.IsTrue(await HasRole(world, GovernanceRoles.Executor, "0x0000000000000000000000000000000000000000"));
        Assert.IsFalse(await HasRole(world, GovernanceRoles.DefaultAdmin, deployer));
        Assert.IsFalse(await HasRole(world, GovernanceRoles.DefaultAdmin, a.Governor));
    }

    private static Task<bool> HasRole(GovernanceWorld world, byte[] role, string account) =>
        world.Deployer.Eth.GetContractQueryHandler<HasRoleFunction>().QueryAsync<bool>(world.Addresses.Timelock, new HasRoleFunction { Role = role, Account = account });
}
