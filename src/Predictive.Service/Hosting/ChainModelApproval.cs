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
    private string? _historyError;

    /// <summary>The snapshot decisions come from (null before the first read).</summary>
    public OnChainRegistrySnapshot? Snapshot => _snapshot;

    /// <summary>
    /// The registry's decisions (approvals, activations, revocations) up to the snapshot's block, with the snapshot
    /// itself, recorded together so that the decisions never run ahead of the state; and why the last read of the
    /// decisions failed, if it did (the snapshot still decides; only the history lags).
    /// </summary>
    public (OnChainRegistrySnapshot? Snapshot, IReadOnlyList<RegistryEvent> Events, string? HistoryError) History
    {
        get
        {
            lock (_gate)
            {
                return (_snapshot, _events, _historyError);
            }
        }
    }

    /// <summary>
    /// The first block whose decisions are still to be read for <paramref name="snapshot"/>: after the last block read;
    /// at the first read, the earliest approval's block (no activation or revocation precedes an approval), so a
    /// registry's history is never scanned from genesis.
    /// </summary>
    public BigInteger EventsFrom(OnChainRegistrySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            return _eventsThrough >= 0 ? _eventsThrough + 1
                : snapshot.Models.Count == 0 ? snapshot.Block + 1
                : snapshot.Models.Min(m => new BigInteger(m.ApprovedAtBlock));
        }
    }

    /// <summary>Why the verified set may be stale (null when the last poll succeeded).</summary>
    public string? Degraded => _degraded;

    /// <summary>
    /// Records a fresh snapshot and the decisions read from <see cref="EventsFrom"/> up to its block (null when that read
    /// failed, with <paramref name="historyError"/>: the history stays where it was and is read again next poll);
    /// returns whether the registry's state (not just the block) changed.
    /// </summary>
    public bool Update(OnChainRegistrySnapshot snapshot, IReadOnlyList<RegistryEvent>? newEvents, string? historyError = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            var before = _snapshot;
            _snapshot = snapshot;
            if (newEvents is null)
            {
                _historyError = historyError ?? "the registry's decisions could not be read";
            }
            else
            {
                _events = [.. _events, .. newEvents];
                _eventsThrough = BigInteger.Max(_eventsThrough, snapshot.Block);
                _historyError = null;
            }

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

    public string? ActiveVersion(string name) =>
        _snapshot?.ActiveVersionOf(name)?.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
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

                // The state at the confirmed block decides; the decisions that led to it (for the dashboard) are read up to
                // the same block. A node that refuses the log range (some limit eth_getLogs) only delays the history.
                var snapshot = await reader.ReadConfirmedAsync(options.Confirmations).ConfigureAwait(false);
                var from = approval.EventsFrom(snapshot);
                IReadOnlyList<RegistryEvent>? decided = [];
                string? historyError = null;
                if (snapshot.Block >= from)
                {
                    try
                    {
                        decided = await events.ReadAsync(from, snapshot.Block).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        decided = null;
                        historyError = $"the registry's decisions in blocks {from}..{snapshot.Block} could not be read: {e.Message}";
                        Telemetry.Log.RegistryPollFailed(logger, historyError);
                    }
                }

                if (approval.Update(snapshot, decided, historyError))
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
