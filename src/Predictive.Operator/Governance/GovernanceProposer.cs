using System.Globalization;
using Microsoft.Extensions.Options;
using Predictive.Chain.Crypto;
using Predictive.Chain.Governance;
using Predictive.Operator.Lifecycle;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;

namespace Predictive.Operator.Governance;

/// <summary>
/// Governed promotion: files a Governor proposal that approves the winner's ONNX and manifest SHA-256 in the registry
/// (and activates it, unless <see cref="GovernanceOptions.Activate"/> is off), through
/// <see cref="GovernanceClient.ProposeModelAsync"/>. Nothing is activated here: the winner is served once the proposal is
/// voted, queued and executed. The hashes are computed from the bytes on disk and must equal the evaluated SHA-256.
/// </summary>
/// <remarks>
/// Idempotent: the description is a function of the winner and its evaluation, so a proposal already on the Governor
/// (a run killed between proposing and recording it) is found by its description and calls, and not filed twice.
/// </remarks>
public sealed class GovernanceProposer(IOptions<OperatorOptions> options) : IModelPromoter
{
    /// <inheritdoc />
    public async Task<string> PromoteAsync(ChallengerRecord winner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(winner);
        var g = options.Value.Governance;
        ModelCandidate candidate;
        try
        {
            candidate = ModelCandidate.FromDirectory(winner.Directory);
        }
        catch (Exception e) when (e is InvalidDataException or DirectoryNotFoundException)
        {
            throw new PromotionException($"{winner.Key} cannot be proposed: {e.Message}");
        }

        var key = $"{candidate.Name}/{candidate.Version.ToString(CultureInfo.InvariantCulture)}";
        if (key != winner.Key || Convert.ToHexStringLower(candidate.OnnxSha256) != winner.Sha256)
        {
            throw new PromotionException($"{winner.Directory} holds {key} with SHA-256 {Convert.ToHexStringLower(candidate.OnnxSha256)}, not the evaluated {winner.Key} with {winner.Sha256}; nothing was proposed.");
        }

        var target = GovernanceTarget.From(g);
        var web3 = await target.ConnectAsync(PrivateKey.FromHex(g.ProposerKey!), cancellationToken).ConfigureAwait(false);
        var client = new GovernanceClient(web3, target.Addresses);
        var summary = $"The Predictive operator proposes its challenger {winner.Key}, which won its evaluation: {winner.Note}";
        var description = candidate.Describe(g.Activate, summary);
        var calls = GovernanceClient.ModelCalls(candidate, g.Activate);
        var existing = (await client.ListAsync(cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(p => p.Description == description && p.Calldatas.Count == calls.Count && p.Calldatas.Zip(calls).All(c => c.First.AsSpan().SequenceEqual(c.Second)));
        if (existing is not null)
        {
            return $"already proposed to the Governor {target.Governor} as proposal {existing.Id.ToString(CultureInfo.InvariantCulture)}; nothing filed again";
        }

        var (proposal, receipt) = await client.ProposeModelAsync(candidate, g.Activate, summary, cancellationToken).ConfigureAwait(false);
        return $"proposed to the Governor {target.Governor} as proposal {proposal.Id.ToString(CultureInfo.InvariantCulture)} ({(g.Activate ? "approve and activate" : "approve")} {winner.Key}; transaction {receipt.TransactionHash}); it is served once the proposal is voted, queued and executed";
    }
}
