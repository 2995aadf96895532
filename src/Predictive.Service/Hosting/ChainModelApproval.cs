using System.Numerics;
using Predictive.Chain.Governance;
using Predictive.Onnx.Registry;

namespace Predictive.Service.Hosting;

/// <summary>
/// The last verified registry snapshot, as the model loader's approval authority. Until a snapshot is read nothing is
/// approved; when the node becomes unreachable the last snapshot stays and <see cref="Degraded"/> says why.
/// </summary>
internal sealed class ChainModelApproval : IModelApproval
{
    private readonly Lock _gate = new();
    private volatile OnChainRegistrySnapshot? _snapshot;
    private volatile string? _degraded = "the model registry has not been read yet";
    private IReadOnlyList<RegistryEvent> _events = [];
    private BigInteger _eventsThrough = BigInteger.MinusOne;

    /// <summary>The snapshot decisions come from (null before the first read).</summary>
    public OnChainRegistrySnapshot? Snapshot => _snapshot;

    /// <summary>
    /// The registry's decisions (approvals, activations, revocations) from block 0 through the snapshot's block, with
    /// the snapshot itself, read together so that one never runs ahead of the other.
    /// </summary>
    public (OnChainRegistrySnapshot? Snapshot, IReadOnlyList<RegistryEvent> Events) History
    {
        get
        {
            lock (_gate)
            {
                return (_snapshot, _events);
            }
        }
    }

    /// <summary>The first block whose events have not been read yet.</summary>
    public BigInteger NextEventBlock
    {
        get
        {
            lock (_gate)
            {
                return _eventsThrough + 1;
            }
        }
    }

    /// <summary>Why the verified set may be stale (null when the last poll succeeded).</summary>
    public string? Degraded => _degraded;

    /// <summary>
    /// Records a fresh snapshot and the events of the blocks after the previous one up to it; returns whether the
    /// decisions (not just the block) changed. A snapshot at or below the previous block (a node that went back) adds no events.
    /// </summary>
    public bool Update(OnChainRegistrySnapshot snapshot, IReadOnlyList<RegistryEvent> newEvents)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(newEvents);
        lock (_gate)
        {
            var before = _snapshot;
            _snapshot = snapshot;
            _events = [.. _events, .. newEvents];
            _eventsThrough = BigInteger.Max(_eventsThrough, snapshot.Block);
            _degraded = null;
            return before is null || !before.Models.SequenceEqual(snapshot.Models);
        }
    }

    /// <summary>Marks the set stale (the node did not answer); the last snapshot keeps deciding.</summary>
    public void MarkDegraded(string reason) => _degraded = reason;

    public string? RefusalFor(string name, string version, string onnxSha256)
    {
        if (_snapshot is not { } snapshot)
        {
            return "not approved on chain (the registry has not been read yet)";
        }

        var entry = snapshot.ApprovedByOnnx(onnxSha256);
        if (entry is null)
        {
            return "not approved on chain";
        }

        var id = "0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf(name));
        return string.Equals(entry.ModelId, id, StringComparison.OrdinalIgnoreCase) && entry.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) == version
            ? null
            : $"not approved on chain as {name}/{version} (the file is approved as {entry.Uri})";
    }

    public string? ActiveVersion(string name)
    {
        var id = "0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf(name));
        return _snapshot?.Models.FirstOrDefault(m => m.Active && m.Status == RegistryStatus.Approved && string.Equals(m.ModelId, id, StringComparison.OrdinalIgnoreCase))
            ?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Polls the registry (one <c>eth_call</c> of <c>allModels</c> at <c>latest − confirmations</c>, plus
/// <c>eth_blockNumber</c> and <c>eth_chainId</c>) and reloads the models when a decision changed. Requests never touch
/// the chain. A failed poll keeps the last verified set and marks readiness degraded.
/// </summary>
internal sealed class GovernancePoller(ChainModelApproval approval, RegistryReloader reloader, Options.GovernanceOptions options, ILogger<GovernancePoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var web3 = GovernanceWeb3.ReadOnly(options.RpcUrl!.ToString());
        var reader = new RegistryReader(web3, options.Registry!);
        var events = new RegistryEventReader(web3, options.Registry!);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var chainId = (await web3.Eth.ChainId.SendRequestAsync().ConfigureAwait(false)).Value;
                if (chainId != options.ChainId)
                {
                    throw new GovernanceException($"the node at {options.RpcUrl} is on chain {chainId}, not {options.ChainId}");
                }

                // The state at the confirmed block, and the decisions that led to it (for the dashboard), read before
                // either is recorded: a failed read of the events keeps the last verified set as a failed poll does.
                var snapshot = await reader.ReadConfirmedAsync(options.Confirmations).ConfigureAwait(false);
                var from = approval.NextEventBlock;
                var decided = snapshot.Block >= from ? await events.ReadAsync(from, snapshot.Block).ConfigureAwait(false) : [];
                if (approval.Update(snapshot, decided))
                {
                    reloader.Reload();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                approval.MarkDegraded($"model registry unreachable: {e.Message}");
                Telemetry.Log.RegistryPollFailed(logger, e.Message);
            }

            await Task.Delay(options.PollInterval, stoppingToken).ConfigureAwait(false);
        }
    }
}
