using System.Numerics;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Predictive.Chain.Governance;

/// <summary>
/// Proposes, votes, queues, executes and cancels through the Governor from one account, and reads proposals back.
/// This is the library behind <c>predictive governance</c>; other tools (e.g. a promotion job) call
/// <see cref="ProposeModelAsync"/> directly.
/// </summary>
public sealed class GovernanceClient
{
    private readonly IWeb3 _web3;
    private readonly ChainSender _sender;

    /// <summary>Creates a client sending from <paramref name="web3"/>'s account.</summary>
    public GovernanceClient(IWeb3 web3, GovernanceAddresses addresses)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(addresses);
        _web3 = web3;
        _sender = new ChainSender(web3);
        Addresses = addresses;
    }

    /// <summary>The contracts.</summary>
    public GovernanceAddresses Addresses { get; }

    /// <summary>The calls a model proposal makes: approve, then (optionally) activate, both on the registry.</summary>
    public static IReadOnlyList<byte[]> ModelCalls(ModelCandidate model, bool activate)
    {
        ArgumentNullException.ThrowIfNull(model);
        var calls = new List<byte[]>
        {
            new RegistryApproveFunction
            {
                ModelId = model.ModelId, Version = model.Version, OnnxSha256 = model.OnnxSha256, ManifestSha256 = model.ManifestSha256, Uri = model.Uri,
            }.GetCallData(),
        };
        if (activate)
        {
            calls.Add(new RegistryActivateFunction { ModelId = model.ModelId, Version = model.Version }.GetCallData());
        }

        return calls;
    }

    /// <summary>Proposes approving (and optionally activating) a model; the description quotes both hashes and the validation metrics.</summary>
    public Task<(GovernanceProposal Proposal, TransactionReceipt Receipt)> ProposeModelAsync(ModelCandidate model, bool activate, string? summary = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var calls = ModelCalls(model, activate);
        return ProposeAsync([.. calls.Select(_ => Addresses.Registry)], calls, model.Describe(activate, summary), cancellationToken);
    }

    /// <summary>Proposes calls (no ether sent) with a description.</summary>
    public async Task<(GovernanceProposal Proposal, TransactionReceipt Receipt)> ProposeAsync(IReadOnlyList<string> targets, IReadOnlyList<byte[]> calldatas, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(calldatas);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        if (targets.Count == 0 || targets.Count != calldatas.Count)
        {
            throw new ArgumentException($"A proposal needs one target per call ({targets.Count} targets, {calldatas.Count} calls).", nameof(targets));
        }

        var values = targets.Select(_ => BigInteger.Zero).ToList();
        var id = await _web3.Eth.GetContractQueryHandler<HashProposalFunction>().QueryAsync<BigInteger>(Addresses.Governor, new HashProposalFunction
        {
            Targets = [.. targets], Values = values, Calldatas = [.. calldatas], DescriptionHash = GovernanceProposal.HashDescription(description),
        }).ConfigureAwait(false);
        var receipt = await _sender.SendAsync(Addresses.Governor, new ProposeFunction
        {
            Targets = [.. targets], Values = values, Calldatas = [.. calldatas], Description = description,
        }, "propose", cancellationToken).ConfigureAwait(false);
        return (new GovernanceProposal(id, [.. targets], values, [.. calldatas], description), receipt);
    }

    /// <summary>Finds a proposal's calls and description in the Governor's ProposalCreated events.</summary>
    /// <exception cref="GovernanceException">No such proposal.</exception>
    public async Task<GovernanceProposal> FindAsync(BigInteger id, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(p => p.Id == id)
            ?? throw new GovernanceException($"No proposal {id} on the Governor at {Addresses.Governor}.");

    /// <summary>Every proposal, in creation order, from the Governor's ProposalCreated events.</summary>
    public async Task<IReadOnlyList<GovernanceProposal>> ListAsync(CancellationToken cancellationToken = default)
    {
        var created = _web3.Eth.GetEvent<ProposalCreatedEvent>(Addresses.Governor);
        var logs = await created.GetAllChangesAsync(created.CreateFilterInput(BlockParameter.CreateEarliest(), BlockParameter.CreateLatest())).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return [.. logs.Select(l => new GovernanceProposal(l.Event.ProposalId, l.Event.Targets, l.Event.Values, l.Event.Calldatas, l.Event.Description))];
    }

    /// <summary>Casts this account's vote.</summary>
    public Task<TransactionReceipt> VoteAsync(BigInteger id, VoteSupport support, string? reason = null, CancellationToken cancellationToken = default) =>
        _sender.SendAsync(Addresses.Governor, new CastVoteWithReasonFunction { ProposalId = id, Support = (byte)support, Reason = reason ?? "" }, $"vote on proposal {id}", cancellationToken);

    /// <summary>Queues a succeeded proposal in the Timelock.</summary>
    public Task<TransactionReceipt> QueueAsync(GovernanceProposal proposal, CancellationToken cancellationToken = default) =>
        _sender.SendAsync(Addresses.Governor, Fill(new QueueFunction(), proposal), $"queue proposal {proposal.Id}", cancellationToken);

    /// <summary>Executes a queued proposal whose Timelock delay has passed.</summary>
    public Task<TransactionReceipt> ExecuteAsync(GovernanceProposal proposal, CancellationToken cancellationToken = default) =>
        _sender.SendAsync(Addresses.Governor, Fill(new ExecuteFunction(), proposal), $"execute proposal {proposal.Id}", cancellationToken);

    /// <summary>Cancels a queued proposal's Timelock operation (the guardian's veto; needs the canceller role).</summary>
    public async Task<TransactionReceipt> CancelQueuedAsync(GovernanceProposal proposal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var operation = await _web3.Eth.GetContractQueryHandler<HashOperationBatchFunction>().QueryAsync<byte[]>(Addresses.Timelock, new HashOperationBatchFunction
        {
            Targets = [.. proposal.Targets], Values = [.. proposal.Values], Payloads = [.. proposal.Calldatas], Salt = proposal.TimelockSalt(Addresses.Governor),
        }).ConfigureAwait(false);
        return await _sender.SendAsync(Addresses.Timelock, new TimelockCancelFunction { Id = operation }, $"cancel the Timelock operation of proposal {proposal.Id}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>State, votes, quorum (at the snapshot, or at the last block while the snapshot is ahead) and eta of a proposal.</summary>
    public async Task<ProposalStatus> StatusAsync(BigInteger id, CancellationToken cancellationToken = default)
    {
        var governor = Addresses.Governor;
        var state = await Query<StateFunction, int>(new StateFunction { ProposalId = id }).ConfigureAwait(false);
        var snapshot = await Query<ProposalSnapshotFunction, BigInteger>(new ProposalSnapshotFunction { ProposalId = id }).ConfigureAwait(false);
        var deadline = await Query<ProposalDeadlineFunction, BigInteger>(new ProposalDeadlineFunction { ProposalId = id }).ConfigureAwait(false);
        var eta = await Query<ProposalEtaFunction, BigInteger>(new ProposalEtaFunction { ProposalId = id }).ConfigureAwait(false);
        var votes = await _web3.Eth.GetContractQueryHandler<ProposalVotesFunction>()
            .QueryDeserializingToObjectAsync<ProposalVotesOutput>(new ProposalVotesFunction { ProposalId = id }, governor).ConfigureAwait(false);
        // quorum() reverts for a timepoint not yet past; before the snapshot, report the quorum at the last mined block.
        var latest = await new ChainClock(_web3).BlockNumberAsync().ConfigureAwait(false);
        var quorum = await Query<QuorumFunction, BigInteger>(new QuorumFunction { Timepoint = BigInteger.Min(snapshot, latest - 1) }).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return new ProposalStatus(id, (ProposalState)state, votes.For, votes.Against, votes.Abstain, quorum, snapshot, deadline, eta);
    }

    /// <summary>The current voting power of an account.</summary>
    public Task<BigInteger> VotesOfAsync(string account) =>
        _web3.Eth.GetContractQueryHandler<GetVotesFunction>().QueryAsync<BigInteger>(Addresses.Token, new GetVotesFunction { Account = account });

    private Task<TOut> Query<TFunction, TOut>(TFunction message)
        where TFunction : FunctionMessage, new() =>
        _web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TOut>(Addresses.Governor, message);

    private static T Fill<T>(T message, GovernanceProposal proposal)
        where T : ProposalActionFunction
    {
        ArgumentNullException.ThrowIfNull(proposal);
        message.Targets = [.. proposal.Targets];
        message.Values = [.. proposal.Values];
        message.Calldatas = [.. proposal.Calldatas];
        message.DescriptionHash = proposal.DescriptionHash;
        return message;
    }
}
