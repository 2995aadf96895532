using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.LocalChain;

namespace Predictive.Chain.Governance;

/// <summary>
/// Governance on a local anvil chain: deployed by dev account 0, guardian dev account 2, and the votes split 50 / 30 /
/// 20 % among dev accounts 0, 3 and 4 (each self-delegated, counting from the block mined at the end).
/// </summary>
public static class LocalGovernance
{
    /// <summary>The voters' shares of the supply, in percent, in <see cref="AnvilDevAccounts.Voters"/> order.</summary>
    public static IReadOnlyList<int> VoterShares { get; } = [50, 30, 20];

    /// <summary>
    /// Deploys, wires and distributes on the anvil node at <paramref name="rpcUrl"/>; with a <paramref name="vault"/> (owned
    /// by dev account 0), hands its strategy-admin role to the Timelock and its guardian role to the guardian
    /// (<see cref="GovernanceDeployer.HandOverVaultAsync"/>).
    /// </summary>
    public static async Task<GovernanceAddresses> UpAsync(string rpcUrl, ContractArtifacts artifacts, GovernanceSettings settings, string? vault = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var owner = GovernanceWeb3.For(AnvilDevAccounts.Owner, AnvilDevAccounts.ChainId, rpcUrl);
        var deployer = new GovernanceDeployer(owner, artifacts);
        var addresses = await deployer.DeployAsync(AnvilDevAccounts.Owner.Address.ToString(), AnvilDevAccounts.Guardian.Address.ToString(), settings, cancellationToken).ConfigureAwait(false);
        if (vault is not null)
        {
            await deployer.HandOverVaultAsync(vault, addresses.Timelock, addresses.Guardian, cancellationToken).ConfigureAwait(false);
        }

        await deployer.DistributeAsync(addresses.Token,
            [.. AnvilDevAccounts.Voters.Select((k, i) => (GovernanceWeb3.For(k, AnvilDevAccounts.ChainId, rpcUrl), settings.TokenSupply * VoterShares[i] / 100))],
            cancellationToken).ConfigureAwait(false);
        await new ChainClock(owner).MineAsync(1).ConfigureAwait(false);
        return addresses;
    }

    /// <summary>
    /// The voters' side of <paramref name="proposal"/> on anvil: mines past the voting delay, votes for from
    /// <paramref name="governance"/>'s account (enough alone with the owner's 50 %), mines past the voting period, queues,
    /// moves time past the Timelock's eta and executes. Returns the execution's receipt.
    /// </summary>
    public static async Task<TransactionReceipt> PassAsync(GovernanceClient governance, ChainClock clock, GovernanceProposal proposal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(governance);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(proposal);
        var status = await governance.StatusAsync(proposal.Id, cancellationToken).ConfigureAwait(false);
        await clock.MinePastAsync(status.SnapshotBlock).ConfigureAwait(false);
        await governance.VoteAsync(proposal.Id, VoteSupport.For, cancellationToken: cancellationToken).ConfigureAwait(false);
        await clock.MinePastAsync(status.DeadlineBlock).ConfigureAwait(false);
        await governance.QueueAsync(proposal, cancellationToken).ConfigureAwait(false);
        await clock.AdvanceTimeToAsync((await governance.StatusAsync(proposal.Id, cancellationToken).ConfigureAwait(false)).Eta).ConfigureAwait(false);
        return await governance.ExecuteAsync(proposal, cancellationToken).ConfigureAwait(false);
    }
}
