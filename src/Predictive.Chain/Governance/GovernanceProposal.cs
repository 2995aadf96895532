using System.Numerics;
using System.Text;
using Nethereum.Util;

namespace Predictive.Chain.Governance;

/// <summary>What a proposal runs when executed (through the Timelock), with its description; its id is the Governor's hashProposal.</summary>
/// <param name="Id">The proposal id.</param>
/// <param name="Targets">Called contracts.</param>
/// <param name="Values">Wei sent with each call.</param>
/// <param name="Calldatas">Each call's data.</param>
/// <param name="Description">The description (its keccak-256 is part of the id).</param>
public sealed record GovernanceProposal(BigInteger Id, IReadOnlyList<string> Targets, IReadOnlyList<BigInteger> Values, IReadOnlyList<byte[]> Calldatas, string Description)
{
    /// <summary>keccak-256 of the description's UTF-8 bytes.</summary>
    public byte[] DescriptionHash => HashDescription(Description);

    /// <summary>keccak-256 of a description's UTF-8 bytes.</summary>
    public static byte[] HashDescription(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(description));
    }

    /// <summary>The Timelock salt GovernorTimelockControl uses: the Governor's address (left-aligned) XOR the description hash.</summary>
    public byte[] TimelockSalt(string governor)
    {
        var salt = DescriptionHash;
        var address = Convert.FromHexString(governor.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? governor[2..] : governor);
        for (var i = 0; i < address.Length; i++)
        {
            salt[i] ^= address[i];
        }

        return salt;
    }
}

/// <summary>How a vote counts (GovernorCountingSimple's support codes).</summary>
public enum VoteSupport
{
    /// <summary>Against (0).</summary>
    Against = 0,

    /// <summary>For (1).</summary>
    For = 1,

    /// <summary>Abstain (2).</summary>
    Abstain = 2,
}

/// <summary>OpenZeppelin's IGovernor.ProposalState codes.</summary>
public enum ProposalState
{
    /// <summary>Voting has not started.</summary>
    Pending = 0,

    /// <summary>Voting is open.</summary>
    Active = 1,

    /// <summary>Canceled (by the proposer before voting, or its Timelock operation by a canceller).</summary>
    Canceled = 2,

    /// <summary>Quorum missed or more against than for.</summary>
    Defeated = 3,

    /// <summary>Passed; may be queued.</summary>
    Succeeded = 4,

    /// <summary>Waiting in the Timelock.</summary>
    Queued = 5,

    /// <summary>Past its deadline without being executed (unused with the Timelock module).</summary>
    Expired = 6,

    /// <summary>Executed.</summary>
    Executed = 7,
}

/// <summary>A proposal as the Governor reports it.</summary>
/// <param name="Id">The proposal id.</param>
/// <param name="State">Its state.</param>
/// <param name="For">Votes for (token base units).</param>
/// <param name="Against">Votes against.</param>
/// <param name="Abstain">Abstentions.</param>
/// <param name="Quorum">Votes needed (for + abstain) at the snapshot.</param>
/// <param name="SnapshotBlock">Block voting power is counted at; voting opens after it.</param>
/// <param name="DeadlineBlock">The last voting block.</param>
/// <param name="Eta">Unix time after which a queued proposal may execute (0 until queued).</param>
public sealed record ProposalStatus(BigInteger Id, ProposalState State, BigInteger For, BigInteger Against, BigInteger Abstain, BigInteger Quorum, BigInteger SnapshotBlock, BigInteger DeadlineBlock, BigInteger Eta);
