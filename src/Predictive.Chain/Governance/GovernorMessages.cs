using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Governance;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>Governor.propose(targets, values, calldatas, description).</summary>
[Function("propose", "uint256")]
public sealed class ProposeFunction : FunctionMessage
{
    [Parameter("address[]", "targets", 1)] public List<string> Targets { get; set; } = [];
    [Parameter("uint256[]", "values", 2)] public List<BigInteger> Values { get; set; } = [];
    [Parameter("bytes[]", "calldatas", 3)] public List<byte[]> Calldatas { get; set; } = [];
    [Parameter("string", "description", 4)] public string Description { get; set; } = "";
}

/// <summary>The four arrays and hash that name a proposal in queue, execute, cancel and hashProposal.</summary>
public abstract class ProposalActionFunction : FunctionMessage
{
    [Parameter("address[]", "targets", 1)] public List<string> Targets { get; set; } = [];
    [Parameter("uint256[]", "values", 2)] public List<BigInteger> Values { get; set; } = [];
    [Parameter("bytes[]", "calldatas", 3)] public List<byte[]> Calldatas { get; set; } = [];
    [Parameter("bytes32", "descriptionHash", 4)] public byte[] DescriptionHash { get; set; } = [];
}

/// <summary>Governor.queue.</summary>
[Function("queue", "uint256")] public sealed class QueueFunction : ProposalActionFunction;

/// <summary>Governor.execute.</summary>
[Function("execute", "uint256")] public sealed class ExecuteFunction : ProposalActionFunction;

/// <summary>Governor.hashProposal (the proposal id).</summary>
[Function("hashProposal", "uint256")] public sealed class HashProposalFunction : ProposalActionFunction;

/// <summary>Governor.castVoteWithReason(proposalId, support, reason); support 0 against, 1 for, 2 abstain.</summary>
[Function("castVoteWithReason", "uint256")]
public sealed class CastVoteWithReasonFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)] public BigInteger ProposalId { get; set; }
    [Parameter("uint8", "support", 2)] public byte Support { get; set; }
    [Parameter("string", "reason", 3)] public string Reason { get; set; } = "";
}

/// <summary>A Governor view taking only the proposal id.</summary>
public abstract class ProposalIdFunction : FunctionMessage
{
    [Parameter("uint256", "proposalId", 1)] public BigInteger ProposalId { get; set; }
}

/// <summary>Governor.state.</summary>
[Function("state", "uint8")] public sealed class StateFunction : ProposalIdFunction;

/// <summary>Governor.proposalSnapshot (the block votes are counted at).</summary>
[Function("proposalSnapshot", "uint256")] public sealed class ProposalSnapshotFunction : ProposalIdFunction;

/// <summary>Governor.proposalDeadline (the last voting block).</summary>
[Function("proposalDeadline", "uint256")] public sealed class ProposalDeadlineFunction : ProposalIdFunction;

/// <summary>Governor.proposalEta (Timelock time after which it may execute; 0 until queued).</summary>
[Function("proposalEta", "uint256")] public sealed class ProposalEtaFunction : ProposalIdFunction;

/// <summary>GovernorCountingSimple.proposalVotes.</summary>
[Function("proposalVotes", typeof(ProposalVotesOutput))] public sealed class ProposalVotesFunction : ProposalIdFunction;

/// <summary>Votes against, for and abstaining.</summary>
[FunctionOutput]
public sealed class ProposalVotesOutput : IFunctionOutputDTO
{
    [Parameter("uint256", "againstVotes", 1)] public BigInteger Against { get; set; }
    [Parameter("uint256", "forVotes", 2)] public BigInteger For { get; set; }
    [Parameter("uint256", "abstainVotes", 3)] public BigInteger Abstain { get; set; }
}

/// <summary>Governor.quorum(timepoint).</summary>
[Function("quorum", "uint256")]
public sealed class QuorumFunction : FunctionMessage
{
    [Parameter("uint256", "timepoint", 1)] public BigInteger Timepoint { get; set; }
}

/// <summary>ERC20Votes.delegate(delegatee).</summary>
[Function("delegate")]
public sealed class DelegateFunction : FunctionMessage
{
    [Parameter("address", "delegatee", 1)] public string Delegatee { get; set; } = "";
}

/// <summary>ERC20.transfer(to, value).</summary>
[Function("transfer", "bool")]
public sealed class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)] public string To { get; set; } = "";
    [Parameter("uint256", "value", 2)] public BigInteger Value { get; set; }
}

/// <summary>ERC20Votes.getVotes(account) (the current voting power).</summary>
[Function("getVotes", "uint256")]
public sealed class GetVotesFunction : FunctionMessage
{
    [Parameter("address", "account", 1)] public string Account { get; set; } = "";
}

/// <summary>TimelockController.cancel(id).</summary>
[Function("cancel")]
public sealed class TimelockCancelFunction : FunctionMessage
{
    [Parameter("bytes32", "id", 1)] public byte[] Id { get; set; } = [];
}

/// <summary>TimelockController.hashOperationBatch (the operation id the Governor queued).</summary>
[Function("hashOperationBatch", "bytes32")]
public sealed class HashOperationBatchFunction : FunctionMessage
{
    [Parameter("address[]", "targets", 1)] public List<string> Targets { get; set; } = [];
    [Parameter("uint256[]", "values", 2)] public List<BigInteger> Values { get; set; } = [];
    [Parameter("bytes[]", "payloads", 3)] public List<byte[]> Payloads { get; set; } = [];
    [Parameter("bytes32", "predecessor", 4)] public byte[] Predecessor { get; set; } = new byte[32];
    [Parameter("bytes32", "salt", 5)] public byte[] Salt { get; set; } = new byte[32];
}

/// <summary>TimelockController.getMinDelay.</summary>
[Function("getMinDelay", "uint256")] public sealed class GetMinDelayFunction : FunctionMessage;

/// <summary>Governor.ProposalCreated (Tally's event).</summary>
[Event("ProposalCreated")]
public sealed class ProposalCreatedEvent : IEventDTO
{
    [Parameter("uint256", "proposalId", 1, false)] public BigInteger ProposalId { get; set; }
    [Parameter("address", "proposer", 2, false)] public string Proposer { get; set; } = "";
    [Parameter("address[]", "targets", 3, false)] public List<string> Targets { get; set; } = [];
    [Parameter("uint256[]", "values", 4, false)] public List<BigInteger> Values { get; set; } = [];
    [Parameter("string[]", "signatures", 5, false)] public List<string> Signatures { get; set; } = [];
    [Parameter("bytes[]", "calldatas", 6, false)] public List<byte[]> Calldatas { get; set; } = [];
    [Parameter("uint256", "voteStart", 7, false)] public BigInteger VoteStart { get; set; }
    [Parameter("uint256", "voteEnd", 8, false)] public BigInteger VoteEnd { get; set; }
    [Parameter("string", "description", 9, false)] public string Description { get; set; } = "";
}
#pragma warning restore CS1591
