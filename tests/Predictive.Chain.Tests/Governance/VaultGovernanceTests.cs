using System.Numerics;
using Nethereum.Contracts;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
using Predictive.Chain.Governance;
using Predictive.Chain.Oracle;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Tests.Governance;

/// <summary>
/// The vault's roles after <c>governance up</c> on a chain with the demo vault (issue 16): the Timelock is the only
/// strategy admin (feeds, limits, whitelists, unpause), the guardian (dev account 2) pauses and cancels, the owner keeps
/// custody. Each test runs on its own anvil node.
/// </summary>
[TestClass]
public sealed class VaultGovernanceTests
{
    private static readonly BigInteger Usdc = BigInteger.Pow(10, 6);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task HandOver_Roles_TimelockAloneIsStrategyAdminGuardianPausesOwnerKeepsCustody()
    {
        await using var world = await GovernanceWorld.StartAsync(withVault: true);
        var (vault, owner) = (VaultOf(world), Owner(world));

        Assert.IsTrue(await HasRoleAsync(world, GovernanceRoles.VaultStrategyAdmin, world.Addresses.Timelock));
        Assert.IsFalse(await HasRoleAsync(world, GovernanceRoles.VaultStrategyAdmin, owner));
        Assert.IsTrue(await HasRoleAsync(world, GovernanceRoles.VaultGuardian, world.Addresses.Guardian));
        Assert.IsFalse(await HasRoleAsync(world, GovernanceRoles.VaultGuardian, owner), "the guardian is the only pauser");
        Assert.IsTrue(await HasRoleAsync(world, GovernanceRoles.DefaultAdmin, owner), "the owner keeps custody");
        var usdc = world.Vault!.Manifest.QuoteToken.Address;
        var withdraw = await world.Deployer.Eth.GetContractTransactionHandler<VaultWithdrawFunction>()
            .SendRequestAndWaitForReceiptAsync(vault, new VaultWithdrawFunction { Token = usdc, Amount = 1_000 * Usdc, To = owner });
        Assert.AreEqual(BigInteger.One, withdraw.Status.Value, "the owner withdraws without a vote");
    }

    [TestMethod]
    public async Task SetLimits_OwnerDirectlyReverts_VotedProposalExecutedThroughTheTimelockSetsThem()
    {
        await using var world = await GovernanceWorld.StartAsync(withVault: true);
        var vault = VaultOf(world);
        var before = await MaxTradeAsync(world);
        var limits = new SetLimitsFunction { MaxTradeQuote = 5_000 * Usdc, DailyCapQuote = 50_000 * Usdc, MaxSlippageBps = SlippageBudget.VaultMaxSlippageBps };
        var btc = world.Vault!.Manifest.Assets[0];

        await AssertRevertsAsync(world.Deployer, vault, limits);
        await AssertRevertsAsync(world.Deployer, vault, new SetFeedFunction
        {
            Token = btc.Address, Aggregator = world.Vault.Manifest.QuoteToken.Feed!, Heartbeat = 3_600, MinAnswer = 1, MaxAnswer = BigInteger.Pow(10, 20),
        });
        await AssertRevertsAsync(world.Deployer, vault, new GrantRoleFunction { Role = GovernanceRoles.VaultStrategyAdmin, Account = Owner(world) });
        Assert.AreEqual(before, await MaxTradeAsync(world), "nothing the owner sent changed the limits");

        var proposal = await world.ProposeAndVoteAsync(vault, [limits.GetCallData()], "Lower the keeper's trade limit to 5,000 USDC", VoteSupport.For, VoteSupport.For, null);
        await world.QueueAndExecuteAsync(proposal);

        Assert.AreEqual(ProposalState.Executed, (await world.Client(world.Deployer).StatusAsync(proposal.Id)).State);
        Assert.AreEqual(5_000 * Usdc, await MaxTradeAsync(world));
        Assert.AreNotEqual(before, 5_000 * Usdc);
    }

    [TestMethod]
    public async Task Guardian_CancelsQueuedVaultProposal_ItNeverExecutesAndTheLimitsStay()
    {
        await using var world = await GovernanceWorld.StartAsync(withVault: true);
        var before = await MaxTradeAsync(world);
        var limits = new SetLimitsFunction { MaxTradeQuote = 1, DailyCapQuote = 1, MaxSlippageBps = 10_000 };
        var proposal = await world.ProposeAndVoteAsync(VaultOf(world), [limits.GetCallData()], "Open the floor wide", VoteSupport.For, VoteSupport.For, null);

        await world.AssertGuardianVetoesAsync(proposal);

        Assert.AreEqual(before, await MaxTradeAsync(world));
    }

    [TestMethod]
    public async Task Guardian_PausesVault_KeeperSwapRevertsGuardianAndOwnerCannotUnpauseOnlyTheTimelockCan()
    {
        await using var world = await GovernanceWorld.StartAsync(withVault: true);
        var vault = VaultOf(world);
        using var keeper = world.Vault!.Keeper(world.RpcClient);
        var market = world.Vault.Manifest.ToMarket();
        var swapper = new VaultKeeper(keeper, market.Vault, market.Router);
        var (usdc, btc) = (market.Quote.Address, market.Token("BTC").Address);

        var pause = await world.Guardian.Eth.GetContractTransactionHandler<VaultPauseFunction>().SendRequestAndWaitForReceiptAsync(vault, new VaultPauseFunction());
        Assert.AreEqual(BigInteger.One, pause.Status.Value);
        var paused = await BuyAsync(swapper, usdc, btc, "paused");
        await AssertRevertsAsync(world.Guardian, vault, new VaultUnpauseFunction());
        await AssertRevertsAsync(world.Deployer, vault, new VaultUnpauseFunction());
        Assert.IsTrue(await PausedAsync(world), "neither the guardian nor the owner unpaused it");

        var proposal = await world.ProposeAndVoteAsync(vault, [new VaultUnpauseFunction().GetCallData()], "Unpause the vault", VoteSupport.For, VoteSupport.For, null);
        await world.QueueAndExecuteAsync(proposal);
        var resumed = await BuyAsync(swapper, usdc, btc, "resumed");

        Assert.IsFalse(paused.Succeeded);
        Assert.AreEqual("EnforcedPause", paused.Revert?.Error?.Name, paused.Revert?.Message ?? paused.Entry.FailureReason);
        Assert.IsFalse(await PausedAsync(world));
        Assert.IsTrue(resumed.Succeeded, resumed.Revert?.Message ?? resumed.Entry.FailureReason);
        TestContext.WriteLine($"keeper swap after the Timelock unpaused: {resumed.Receipt!.GasUsed} gas");
    }

    [TestMethod]
    public async Task Guardian_ApprovesModel_Reverts()
    {
        await using var world = await GovernanceWorld.StartAsync(withVault: true);
        var model = world.Model("default", 1, "guardian-vault");

        await AssertRevertsAsync(world.Guardian, world.Addresses.Registry, new RegistryApproveFunction
        {
            ModelId = model.ModelId, Version = model.Version, OnnxSha256 = model.OnnxSha256, ManifestSha256 = model.ManifestSha256, Uri = model.Uri,
        });
        await AssertRevertsAsync(world.Guardian, VaultOf(world), new GrantRoleFunction { Role = GovernanceRoles.VaultStrategyAdmin, Account = world.Addresses.Guardian });
        Assert.AreEqual(0, (await world.Registry.ReadConfirmedAsync(0)).Models.Count);
    }

    private static string VaultOf(GovernanceWorld world) => world.Vault!.Manifest.Vault;

    private static string Owner(GovernanceWorld world) => world.Deployer.TransactionManager.Account.Address;

    private static async Task<ExecutionResult> BuyAsync(VaultKeeper keeper, EthAddress usdc, EthAddress btc, string id)
    {
        var quote = await keeper.QuoteAsync(usdc, btc, 1_000 * Usdc, SlippageBudget.KeeperSlippageBps);
        return await keeper.SwapAsync(id, usdc, btc, 1_000 * Usdc, quote.MinAmountOut);
    }

    private static async Task AssertRevertsAsync<TFunction>(Nethereum.Web3.IWeb3 sender, string contract, TFunction message)
        where TFunction : FunctionMessage, new() =>
        await Assert.ThrowsExactlyAsync<SmartContractCustomErrorRevertException>(() =>
            sender.Eth.GetContractTransactionHandler<TFunction>().SendRequestAndWaitForReceiptAsync(contract, message), typeof(TFunction).Name);

    private static Task<bool> HasRoleAsync(GovernanceWorld world, byte[] role, string account) =>
        world.Deployer.Eth.GetContractQueryHandler<HasRoleFunction>().QueryAsync<bool>(VaultOf(world), new HasRoleFunction { Role = role, Account = account });

    private static Task<BigInteger> MaxTradeAsync(GovernanceWorld world) =>
        world.Deployer.Eth.GetContractQueryHandler<MaxTradeQuoteFunction>().QueryAsync<BigInteger>(VaultOf(world), new MaxTradeQuoteFunction());

    private static Task<bool> PausedAsync(GovernanceWorld world) =>
        world.Deployer.Eth.GetContractQueryHandler<VaultPausedFunction>().QueryAsync<bool>(VaultOf(world), new VaultPausedFunction());
}
