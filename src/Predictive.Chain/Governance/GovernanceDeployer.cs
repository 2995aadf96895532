using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Web3;
using Predictive.Chain.Contracts;

namespace Predictive.Chain.Governance;

/// <summary>
/// Deploys the voting token, Timelock, Governor and model registry from the sending account, and wires the roles:
/// the Governor is the Timelock's only proposer, the Governor and the guardian cancel, anyone executes, the registry
/// belongs to the Timelock, and the deployer renounces the Timelock's admin role last, so nobody keeps a back door.
/// </summary>
public sealed class GovernanceDeployer
{
    private readonly IWeb3 _web3;
    private readonly ContractArtifacts _artifacts;

    /// <summary>Creates a deployer sending from <paramref name="web3"/>'s account.</summary>
    public GovernanceDeployer(IWeb3 web3, ContractArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(artifacts);
        _web3 = web3;
        _artifacts = artifacts;
    }

    /// <summary>The artifact names this deployer needs.</summary>
    public const string TokenArtifact = "GovernanceToken";

    /// <summary>The Governor's artifact.</summary>
    public const string GovernorArtifact = "PredictiveGovernor";

    /// <summary>The Timelock's artifact.</summary>
    public const string TimelockArtifact = "PredictiveTimelock";

    /// <summary>The registry's artifact.</summary>
    public const string RegistryArtifact = "ModelRegistry";

    /// <summary>Deploys and wires everything; <paramref name="deployer"/> must be the sending account.</summary>
    /// <param name="deployer">The sending account (its address).</param>
    /// <param name="guardian">The guardian (canceller of queued proposals).</param>
    /// <param name="settings">Delays, threshold, quorum and supply.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    public async Task<GovernanceAddresses> DeployAsync(string deployer, string guardian, GovernanceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deployer);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardian);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();

        var token = await DeployAsync(new GovernanceTokenDeployment(Bytecode(TokenArtifact))
        {
            Name = "Predictive Governance",
            Symbol = "PGOV",
            Supply = settings.TokenSupply,
        }, cancellationToken).ConfigureAwait(false);
        var timelock = await DeployAsync(new TimelockDeployment(Bytecode(TimelockArtifact))
        {
            MinDelay = settings.TimelockDelaySeconds,
            Proposers = [],
            Executors = [Zero],
            Admin = deployer,
        }, cancellationToken).ConfigureAwait(false);
        var governor = await DeployAsync(new GovernorDeployment(Bytecode(GovernorArtifact))
        {
            Token = token,
            Timelock = timelock,
            VotingDelayBlocks = settings.VotingDelayBlocks,
            VotingPeriodBlocks = settings.VotingPeriodBlocks,
            ProposalThreshold = settings.ProposalThreshold,
            QuorumPercent = settings.QuorumPercent,
        }, cancellationToken).ConfigureAwait(false);
        var registry = await DeployAsync(new ModelRegistryDeployment(Bytecode(RegistryArtifact)) { Owner = timelock }, cancellationToken).ConfigureAwait(false);

        var tx = new ChainSender(_web3);
        await tx.SendAsync(timelock, new GrantRoleFunction { Role = GovernanceRoles.Proposer, Account = governor }, "grant the Governor the Timelock's proposer role", cancellationToken).ConfigureAwait(false);
        await tx.SendAsync(timelock, new GrantRoleFunction { Role = GovernanceRoles.Canceller, Account = governor }, "grant the Governor the Timelock's canceller role", cancellationToken).ConfigureAwait(false);
        await tx.SendAsync(timelock, new GrantRoleFunction { Role = GovernanceRoles.Canceller, Account = guardian }, "grant the guardian the Timelock's canceller role", cancellationToken).ConfigureAwait(false);
        await tx.SendAsync(timelock, new RenounceRoleFunction { Role = GovernanceRoles.DefaultAdmin, Account = deployer }, "renounce the Timelock's admin role", cancellationToken).ConfigureAwait(false);
        return new GovernanceAddresses(token, governor, timelock, registry, guardian);
    }

    /// <summary>
    /// Hands the vault's strategy-admin role (feeds, heartbeats, limits, whitelists, unpause) to the Timelock and makes
    /// <paramref name="guardian"/> the vault's only guardian (pause); the sending account, the vault's owner, keeps
    /// custody and the keeper role's administration, gives up its guardian role and renounces strategy admin last. The
    /// vault makes strategy admin its own admin, so the owner cannot take it back.
    /// </summary>
    /// <param name="vault">The vault.</param>
    /// <param name="timelock">The Timelock (new strategy admin).</param>
    /// <param name="guardian">The guardian (also the Timelock's canceller).</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <exception cref="GovernanceException">The sender is not the vault's strategy admin, or a step reverted.</exception>
    public async Task HandOverVaultAsync(string vault, string timelock, string guardian, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vault);
        ArgumentException.ThrowIfNullOrWhiteSpace(timelock);
        ArgumentException.ThrowIfNullOrWhiteSpace(guardian);
        var owner = _web3.TransactionManager.Account.Address;
        var tx = new ChainSender(_web3);
        await tx.SendAsync(vault, new GrantRoleFunction { Role = GovernanceRoles.VaultGuardian, Account = guardian }, "grant the guardian the vault's guardian role", cancellationToken).ConfigureAwait(false);
        if (!string.Equals(owner, guardian, StringComparison.OrdinalIgnoreCase))
        {
            await tx.SendAsync(vault, new RevokeRoleFunction { Role = GovernanceRoles.VaultGuardian, Account = owner }, "revoke the owner's guardian role on the vault", cancellationToken).ConfigureAwait(false);
        }

        await tx.SendAsync(vault, new GrantRoleFunction { Role = GovernanceRoles.VaultStrategyAdmin, Account = timelock }, "grant the Timelock the vault's strategy-admin role", cancellationToken).ConfigureAwait(false);
        await tx.SendAsync(vault, new RenounceRoleFunction { Role = GovernanceRoles.VaultStrategyAdmin, Account = owner }, "renounce the owner's strategy-admin role on the vault", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives voters tokens and has each delegate to itself (voting power counts from the next block).</summary>
    /// <param name="token">The voting token.</param>
    /// <param name="voters">Each voter's Web3 (its account) and amount of base units sent from the deployer.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    public async Task DistributeAsync(string token, IReadOnlyList<(IWeb3 Voter, BigInteger Amount)> voters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentNullException.ThrowIfNull(voters);
        var tx = new ChainSender(_web3);
        foreach (var (voter, amount) in voters)
        {
            var address = voter.TransactionManager.Account.Address;
            if (!string.Equals(address, _web3.TransactionManager.Account.Address, StringComparison.OrdinalIgnoreCase))
            {
                await tx.SendAsync(token, new TransferFunction { To = address, Value = amount }, $"send {address} its voting tokens", cancellationToken).ConfigureAwait(false);
            }

            await new ChainSender(voter).SendAsync(token, new DelegateFunction { Delegatee = address }, $"{address} delegates to itself", cancellationToken).ConfigureAwait(false);
        }
    }

    private const string Zero = "0x0000000000000000000000000000000000000000";

    private string Bytecode(string name) => _artifacts.Get(name).Bytecode.ToHex(prefix: true);

    private async Task<string> DeployAsync<TDeployment>(TDeployment message, CancellationToken cancellationToken)
        where TDeployment : ContractDeploymentMessage, new()
    {
        var receipt = await _web3.Eth.GetContractDeploymentHandler<TDeployment>().SendRequestAndWaitForReceiptAsync(message, cancellationToken).ConfigureAwait(false);
        ChainSender.EnsureSucceeded(receipt, $"deploy {typeof(TDeployment).Name}");
        return receipt.ContractAddress;
    }
}
