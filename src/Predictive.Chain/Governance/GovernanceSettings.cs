using System.Numerics;

namespace Predictive.Chain.Governance;

/// <summary>How the Governor and Timelock are set up. The defaults suit the local chain (short delays); a real chain
/// would use days, not blocks and seconds.</summary>
public sealed record GovernanceSettings
{
    /// <summary>Blocks between a proposal and the start of voting (the snapshot of voting power).</summary>
    public ulong VotingDelayBlocks { get; init; } = 1;

    /// <summary>Blocks voting stays open.</summary>
    public uint VotingPeriodBlocks { get; init; } = 20;

    /// <summary>Voting power (token base units) needed to propose.</summary>
    public BigInteger ProposalThreshold { get; init; } = BigInteger.Pow(10, 18) * 1_000;

    /// <summary>Share of the supply (percent) that must vote for or abstain for a proposal to pass.</summary>
    public int QuorumPercent { get; init; } = 4;

    /// <summary>Seconds between queueing in the Timelock and the earliest execution.</summary>
    public long TimelockDelaySeconds { get; init; } = 60;

    /// <summary>Total voting-token supply (base units, 18 decimals), minted to the deployer, which distributes it.</summary>
    public BigInteger TokenSupply { get; init; } = BigInteger.Pow(10, 18) * 1_000_000;

    /// <summary>Throws when a setting cannot work.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (VotingPeriodBlocks == 0)
        {
            throw new ArgumentException("GovernanceSettings.VotingPeriodBlocks must be at least 1.");
        }

        if (QuorumPercent is < 1 or > 100)
        {
            throw new ArgumentException($"GovernanceSettings.QuorumPercent must be 1..100, not {QuorumPercent}.");
        }

        if (TimelockDelaySeconds < 0 || ProposalThreshold < 0 || TokenSupply <= 0)
        {
            throw new ArgumentException("GovernanceSettings: the Timelock delay and proposal threshold cannot be negative, and the supply must be positive.");
        }
    }
}

/// <summary>Where the governance contracts live.</summary>
/// <param name="Token">The voting token.</param>
/// <param name="Governor">The Governor.</param>
/// <param name="Timelock">The Timelock (owner of the registry; strategy admin of the vault).</param>
/// <param name="Registry">The model registry.</param>
/// <param name="Guardian">The address that may cancel queued proposals and pause the vault.</param>
public sealed record GovernanceAddresses(string Token, string Governor, string Timelock, string Registry, string Guardian);
