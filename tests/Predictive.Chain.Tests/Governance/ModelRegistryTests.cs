using Nethereum.Contracts;
using Nethereum.Web3;
using Predictive.Chain.Governance;

namespace Predictive.Chain.Tests.Governance;

/// <summary>The registry's refusals, on a registry owned by an account (in production the Timelock owns it).</summary>
[TestClass]
public sealed class ModelRegistryTests
{
    [TestMethod]
    public async Task Approve_ZeroOnnxHash_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var registry = await world.DeployOwnRegistryAsync();
        var model = world.Model("default", 1, "zero");

        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.Deployer, registry, Approve(model) with { OnnxSha256 = new byte[32] }));
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.Deployer, registry, Approve(model) with { ManifestSha256 = new byte[32] }));
        Assert.AreEqual(0, (await new RegistryReader(world.Deployer, registry).ReadConfirmedAsync(0)).Models.Count);
    }

    [TestMethod]
    public async Task Approve_SameVersionOrSameOnnxAgain_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var registry = await world.DeployOwnRegistryAsync();
        var model = world.Model("default", 1, "dup");
        await Send(world.Deployer, registry, Approve(model));

        var otherBytes = world.Model("default", 1, "other bytes");
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.Deployer, registry, Approve(otherBytes)));
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.Deployer, registry, Approve(model) with { Version = 2 }));
        Assert.AreEqual(1, (await new RegistryReader(world.Deployer, registry).ReadConfirmedAsync(0)).Models.Count);
    }

    [TestMethod]
    public async Task Activate_UnknownOrRevokedVersion_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var registry = await world.DeployOwnRegistryAsync();
        var model = world.Model("default", 1, "revoked");
        await Send(world.Deployer, registry, Approve(model));
        await Send(world.Deployer, registry, new RegistryRevokeFunction { ModelId = model.ModelId, Version = 1 });

        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.Deployer, registry, new RegistryActivateFunction { ModelId = model.ModelId, Version = 2 }));
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.Deployer, registry, new RegistryActivateFunction { ModelId = model.ModelId, Version = 1 }));
        var snapshot = await new RegistryReader(world.Deployer, registry).ReadConfirmedAsync(0);
        Assert.AreEqual(RegistryStatus.Revoked, snapshot.Models.Single().Status);
        Assert.IsNull(snapshot.ApprovedByOnnx(Convert.ToHexStringLower(model.OnnxSha256)));
    }

    [TestMethod]
    public async Task Revoke_ActiveVersion_LeavesNoActiveVersion()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var registry = await world.DeployOwnRegistryAsync();
        var model = world.Model("default", 1, "active");
        await Send(world.Deployer, registry, Approve(model));
        await Send(world.Deployer, registry, new RegistryActivateFunction { ModelId = model.ModelId, Version = 1 });
        Assert.IsTrue((await new RegistryReader(world.Deployer, registry).ReadConfirmedAsync(0)).Models.Single().Active);

        var receipt = await Send(world.Deployer, registry, new RegistryRevokeFunction { ModelId = model.ModelId, Version = 1 });

        Assert.IsTrue(receipt.DecodeAllEvents<ModelRevokedEvent>().Single().Event.WasActive);
        Assert.IsFalse((await new RegistryReader(world.Deployer, registry).ReadConfirmedAsync(0)).Models.Single().Active);
    }

    [TestMethod]
    public async Task Approve_NotOwner_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync();
        var registry = await world.DeployOwnRegistryAsync();

        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() => Send(world.VoterA, registry, Approve(world.Model("default", 1, "stranger"))));
    }

    private static ApproveMessage Approve(ModelCandidate model) => new(model.ModelId, model.Version, model.OnnxSha256, model.ManifestSha256, model.Uri);

    private static Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> Send(IWeb3 web3, string registry, ApproveMessage m) =>
        Send(web3, registry, new RegistryApproveFunction { ModelId = m.ModelId, Version = m.Version, OnnxSha256 = m.OnnxSha256, ManifestSha256 = m.ManifestSha256, Uri = m.Uri });

    private static Task<Nethereum.RPC.Eth.DTOs.TransactionReceipt> Send<T>(IWeb3 web3, string registry, T message)
        where T : FunctionMessage, new() =>
        web3.Eth.GetContractTransactionHandler<T>().SendRequestAndWaitForReceiptAsync(registry, message);

    private sealed record ApproveMessage(byte[] ModelId, ulong Version, byte[] OnnxSha256, byte[] ManifestSha256, string Uri);
}
