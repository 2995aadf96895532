using System.Globalization;
using Predictive.Chain.Governance;
using Predictive.Onnx.Registry;
using Predictive.Service.Api;
using Predictive.Service.Hosting;
using Predictive.Service.Options;

namespace Predictive.Service.Dashboard.Governance;

/// <summary>The answer of <c>GET /v1/governance</c>: what the on-chain model registry decided, as the service last read it.</summary>
/// <param name="Enabled">Whether the service runs in governed mode (<c>Predictive:Governance</c> set).</param>
/// <param name="Registry">The ModelRegistry contract, or null.</param>
/// <param name="ChainId">The chain id the node must report, or null.</param>
/// <param name="Confirmations">How deep a decision must be before it counts, or null.</param>
/// <param name="Block">The block the registry was last read at (latest − confirmations), or null before the first read.</param>
/// <param name="Degraded">Why the verified set may be stale (the node did not answer), or null.</param>
/// <param name="HistoryError">Why the decisions could not be read up to <paramref name="Block"/> (they lag; the state still decides), or null.</param>
/// <param name="Versions">Every registered version at that block, in approval order.</param>
/// <param name="Decisions">Every approval, activation and revocation up to that block, oldest first.</param>
/// <param name="NotApproved">Models on disk the last load refused because the chain does not approve them.</param>
public sealed record GovernanceResponse(
    bool Enabled, string? Registry, long? ChainId, int? Confirmations, ulong? Block, string? Degraded, string? HistoryError,
    IReadOnlyList<RegistryVersion> Versions, IReadOnlyList<RegistryDecision> Decisions, IReadOnlyList<RefusedModel> NotApproved);

/// <summary>One registered version.</summary>
/// <param name="Model">The model's name when a model folder of that name is on disk, else null (the chain keeps only keccak-256 of it).</param>
/// <param name="ModelId">The model's id (0x-hex keccak-256 of its name).</param>
/// <param name="Version">The version.</param>
/// <param name="Status"><c>approved</c> or <c>revoked</c>.</param>
/// <param name="Active">Whether it is its model's active version.</param>
/// <param name="ApprovedAtBlock">The block of the approval.</param>
/// <param name="OnnxSha256">SHA-256 of the ONNX file the vote approved.</param>
/// <param name="ManifestSha256">SHA-256 of the approved model.json.</param>
/// <param name="Uri">The recorded URI.</param>
public sealed record RegistryVersion(string? Model, string ModelId, ulong Version, string Status, bool Active, ulong ApprovedAtBlock, string OnnxSha256, string ManifestSha256, string Uri);

/// <summary>One decision from the registry's event log.</summary>
/// <param name="Kind"><c>approved</c>, <c>activated</c> or <c>revoked</c>.</param>
/// <param name="Block">The block.</param>
/// <param name="TransactionHash">The transaction (the Timelock's execute of the proposal).</param>
/// <param name="Model">The model's name when known (see <see cref="RegistryVersion.Model"/>).</param>
/// <param name="ModelId">The model's id.</param>
/// <param name="Version">The version.</param>
/// <param name="OnnxSha256">The approved file's SHA-256 (approvals), else null.</param>
/// <param name="Detail">In words: the URI approved, the version replaced, or whether the revoked version was active.</param>
public sealed record RegistryDecision(string Kind, ulong Block, string TransactionHash, string? Model, string ModelId, ulong Version, string? OnnxSha256, string Detail);

/// <summary>Builds <see cref="GovernanceResponse"/> from the governed service's last verified read; the page and the endpoint share it.</summary>
internal sealed class GovernanceView(ModelRegistry registry, ChainModelApproval? approval = null, GovernanceOptions? options = null)
{
    /// <summary>Whether the service runs in governed mode.</summary>
    public bool Enabled => approval is not null && options is not null;

    /// <summary>The registry's state and history as last read, and the models it refused.</summary>
    public GovernanceResponse Describe()
    {
        if (approval is null || options is null)
        {
            return new GovernanceResponse(false, null, null, null, null, null, null, [], [], []);
        }

        var (snapshot, events, historyError) = approval.History;
        var models = registry.Current;

        // The chain stores keccak-256(name); name the ids of the model folders on disk (loaded or refused).
        var names = models.Loaded.Values.Select(m => m.Name).Concat(models.Refused.Select(r => r.Key.Split('/')[0])).Distinct(StringComparer.Ordinal)
            .ToDictionary(n => "0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf(n)), n => n, StringComparer.OrdinalIgnoreCase);
        var versions = snapshot?.Models.Select(m => new RegistryVersion(
            names.GetValueOrDefault(m.ModelId), m.ModelId, m.Version, m.Status == RegistryStatus.Revoked ? "revoked" : "approved", m.Active, m.ApprovedAtBlock, m.OnnxSha256, m.ManifestSha256, m.Uri)).ToList() ?? [];
        var decisions = events.Select(e => new RegistryDecision(
            e.Kind.ToString().ToLowerInvariant(), e.Block, e.TransactionHash, names.GetValueOrDefault(e.ModelId), e.ModelId, e.Version, e.OnnxSha256, Detail(e))).ToList();
        var refused = ModelsEndpoints.Describe(models).Refused.Where(r => r.Stage == RefusalStages.Governance).ToList();
        return new GovernanceResponse(
            true, options.Registry, options.ChainId, options.Confirmations, snapshot is null ? null : (ulong)snapshot.Block, approval.Degraded, historyError, versions, decisions, refused);
    }

    private static string Detail(RegistryEvent e) => e.Kind switch
    {
        RegistryEventKind.Approved => $"approved as {e.Uri}",
        RegistryEventKind.Activated => e.PreviousVersion is null or 0 ? "activated (no version was active)" : string.Create(CultureInfo.InvariantCulture, $"activated in place of version {e.PreviousVersion}"),
        _ => e.WasActive == true ? "revoked while active (the model has no active version until another activate)" : "revoked",
    };
}
