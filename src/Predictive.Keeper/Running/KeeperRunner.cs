using Predictive.Chain.Crypto;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Market;
using Predictive.Keeper.Pass;
using Predictive.Keeper.Store;
using Predictive.Keeper.Targets;
using Predictive.Keeper.Telemetry;

namespace Predictive.Keeper.Running;

/// <summary>
/// A vault's lease was held by another driver: keeper.json says <c>onLeaseHeld: exit</c>, or a one-pass driver
/// (<c>predictive rebalance</c>) found it held; <paramref name="action"/> says what this driver does.
/// </summary>
public sealed class LeaseHeldException(VaultLease lease, string vault, string action = "this keeper exits (onLeaseHeld: exit)")
    : Exception($"vault {vault} is driven by another keeper ({lease?.Owner}) until {lease?.ExpiresAt:O}; {action}. Stop the other keeper, or wait for its lease to expire.")
{
    /// <summary>The lease in force.</summary>
    public VaultLease Lease { get; } = lease ?? throw new ArgumentNullException(nameof(lease));
}

/// <summary>
/// The long-running keeper over the configured vaults: each vault's pass on its interval, under the vault's lease in the
/// keeper store (renewed while this keeper runs, released when it stops), each pass's record appended to the decision
/// log and logged as a JSON line. A stop (SIGTERM, Ctrl-C) ends the pass in progress at its next safe point.
/// </summary>
public sealed class KeeperRunner : IDisposable
{
    private readonly KeeperSettings _settings;
    private readonly IKeeperStore _store;
    private readonly JsonLineLog _log;
    private readonly TimeProvider _time;
    private readonly List<KeeperPass> _passes;
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);

    /// <summary>Creates the runner.</summary>
    /// <param name="settings">The validated configuration.</param>
    /// <param name="store">The keeper store (leases, decision log).</param>
    /// <param name="key">The keeper's key.</param>
    /// <param name="service">An HTTP client whose base address is the targets service.</param>
    /// <param name="log">The JSON-lines log.</param>
    /// <param name="metrics">The keeper's metrics.</param>
    /// <param name="owner">This keeper's lease owner id (unique per process).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="stateStores">
    /// Each vault's journal and live state; null for files in <see cref="KeeperSettings.StateDirectory"/> (one node). The
    /// operator on a cluster passes its database's stores, fenced by the vault's lease under <paramref name="owner"/>.
    /// </param>
    public KeeperRunner(
        KeeperSettings settings, IKeeperStore store, PrivateKey key, HttpClient service, JsonLineLog log, KeeperMetrics? metrics, string owner, TimeProvider? timeProvider = null,
        Func<VaultSettings, VaultStateStores>? stateStores = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        _settings = settings;
        _store = store;
        _log = log;
        _time = timeProvider ?? TimeProvider.System;
        Owner = owner;
        _passes = [.. settings.Vaults.Select(v => Pass(settings, v, key, service, metrics, stores: stateStores?.Invoke(v)))];
    }

    /// <summary>
    /// The keeper pass of <paramref name="vault"/>: targets from the service for its market data, the risk model warmed up
    /// from the same data; its journal and state in <paramref name="stores"/> (null: files in the vault's state folder).
    /// </summary>
    public static KeeperPass Pass(KeeperSettings settings, VaultSettings vault, PrivateKey key, HttpClient service, KeeperMetrics? metrics, TimeProvider? timeProvider = null, VaultStateStores? stores = null)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var window = MarketDataSources.For(vault, timeProvider);
        var history = new MarketDataHistory(window, [.. vault.Manifest.Assets.Select(a => a.Symbol)], vault.Manifest.QuoteToken.Symbol);
        return new KeeperPass(settings, vault, key, new ServiceTargetsSource(service, window), metrics, timeProvider, riskHistory: history, stores: stores);
    }

    /// <summary>This keeper's lease owner id.</summary>
    public string Owner { get; }

    /// <summary>The per-vault passes.</summary>
    public IReadOnlyList<KeeperPass> Passes => _passes;

    /// <summary>
    /// Runs until <paramref name="stop"/> (or <paramref name="maxRounds"/> rounds over the vaults), passing each vault when
    /// its interval is due, or (<c>trigger: blocks</c>) when the node has mined its number of new blocks since the last
    /// pass. Returns the number of passes run.
    /// </summary>
    /// <exception cref="LeaseHeldException">A vault is held by another keeper and the configuration says exit.</exception>
    public async Task<int> RunAsync(bool dryRun, int? maxRounds, CancellationToken stop)
    {
        foreach (var p in _passes)
        {
            await p.CheckChainAsync(stop).ConfigureAwait(false);
        }

        _log.Write("keeper-started", new Dictionary<string, object?> { ["owner"] = Owner, ["vaults"] = _passes.Select(p => p.Vault.Name).ToArray(), ["dryRun"] = dryRun });
        // Interval vaults are due at a time, block vaults at a block number (the first pass of each runs at once).
        var due = _passes.ToDictionary(p => p, _ => _time.GetUtcNow());
        var dueBlock = _passes.ToDictionary(p => p, _ => System.Numerics.BigInteger.Zero);
        var rounds = new Dictionary<KeeperPass, int>();
        var count = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var pass in _passes.Where(p => maxRounds is null || rounds.GetValueOrDefault(p) < maxRounds))
                {
                    stop.ThrowIfCancellationRequested();
                    var trigger = pass.Vault.PassOn;
                    if (trigger.OnBlocks ? await HeadAsync(pass, stop).ConfigureAwait(false) is not { } head || head < dueBlock[pass] : due[pass] > _time.GetUtcNow())
                    {
                        continue;
                    }

                    if (await PassAsync(pass, dryRun, stop).ConfigureAwait(false) is not null)
                    {
                        count++;
                    }

                    rounds[pass] = rounds.GetValueOrDefault(pass) + 1;
                    if (trigger.OnBlocks)
                    {
                        // The next pass waits for blocks newer than everything this one saw (its own swaps included).
                        dueBlock[pass] = (await HeadAsync(pass, stop).ConfigureAwait(false) ?? dueBlock[pass]) + trigger.Blocks;
                    }
                    else
                    {
                        due[pass] = due[pass] + pass.Vault.Interval <= _time.GetUtcNow() ? _time.GetUtcNow() + pass.Vault.Interval : due[pass] + pass.Vault.Interval;
                    }
                }

                if (maxRounds is { } max && _passes.All(p => rounds.GetValueOrDefault(p) >= max))
                {
                    break;
                }

                var next = _passes.Select(p => p.Vault.PassOn.OnBlocks ? p.Vault.PassOn.Poll : due[p] - _time.GetUtcNow()).Min();
                var wait = TimeSpan.FromTicks(Math.Clamp(next.Ticks, TimeSpan.FromMilliseconds(10).Ticks, (_settings.Lease / 3).Ticks));
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
                await RenewAsync(stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop: the pass in progress (if any) ended at a safe point and was recorded.
        }
        finally
        {
            foreach (var vault in _held)
            {
                await _store.ReleaseLeaseAsync(vault, Owner, CancellationToken.None).ConfigureAwait(false);
            }

            _log.Write("keeper-stopped", new Dictionary<string, object?> { ["owner"] = Owner, ["passes"] = count });
        }

        return count;
    }

    /// <summary>
    /// One pass of <paramref name="pass"/>'s vault under its lease: the record appended to the decision log and logged; null
    /// when another keeper holds the lease (and the configuration says wait).
    /// </summary>
    /// <exception cref="LeaseHeldException">The lease is held and the configuration says exit.</exception>
    public async Task<DecisionRecord?> PassAsync(KeeperPass pass, bool dryRun, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var key = LeaseKey(pass.Vault);
        var lease = await _store.TryAcquireLeaseAsync(key, Owner, _settings.Lease, _time.GetUtcNow(), stop).ConfigureAwait(false);
        if (!lease.Granted)
        {
            _log.Write("lease-held", new Dictionary<string, object?> { ["vault"] = pass.Vault.Name, ["holder"] = lease.Lease.Owner, ["expiresAt"] = lease.Lease.ExpiresAt });
            return _settings.OnLeaseHeld == LeaseHeldAction.Exit ? throw new LeaseHeldException(lease.Lease, pass.Vault.Name) : null;
        }

        _held.Add(key);
        DecisionRecord record;
        VaultLease? holder;
        bool lost;
        // The lease is extended while the pass runs, so a pass longer than the lease keeps it (and its fenced writes); a
        // renewal refused (the lease lapsed, or another driver took it, even if it released it since) stops the pass at its
        // next safe point, and the lease is never taken back mid-pass.
        await using (var renewal = LeaseRenewal.Start(_store, key, Owner, _settings.Lease, _time, RenewalFailed(pass.Vault.Name)))
        {
            using var pulled = CancellationTokenSource.CreateLinkedTokenSource(stop, renewal.Lost);
            try
            {
                record = await pass.RunAsync(dryRun, pulled.Token).ConfigureAwait(false);
            }
            catch (KeeperStoppedException e) when (renewal.IsLost && !stop.IsCancellationRequested)
            {
                record = e.Record;
            }
            catch (KeeperStoppedException e)
            {
                await AppendAsync(e.Record).ConfigureAwait(false);
                throw;
            }

            (lost, holder) = (renewal.IsLost, renewal.TakenBy);
        }

        if (!lost && record.Outcome == "error")
        {
            // A fenced write refused before the renewal noticed: ask the store whether the lease is still this keeper's.
            var check = await _store.TryRenewLeaseAsync(key, Owner, _settings.Lease, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            (lost, holder) = (!check.Renewed, check.Renewed ? null : check.Lease);
        }

        if (lost)
        {
            _held.Remove(key);
            var who = holder?.Owner ?? "another driver (which has released it since)";
            _log.Write("lease-lost", new Dictionary<string, object?> { ["vault"] = pass.Vault.Name, ["holder"] = holder?.Owner });
            record = record with
            {
                Reason = record.Outcome is "stopped" or "error" ? LeaseLost : record.Reason,
                Explanation = record.Outcome switch
                {
                    "stopped" => $"the lease passed to {who} during the pass; this keeper stopped before signing its next intent, and its journal and state writes from then on are refused. {record.Explanation}",
                    "error" => $"the lease passed to {who} during the pass; this keeper's next journal or state write was refused and the pass ended there. {record.Explanation}",
                    _ => $"the lease passed to {who} after this pass's last write. {record.Explanation}",
                },
            };
        }

        await AppendAsync(record).ConfigureAwait(false);
        return record;
    }

    private Action<Exception, int> RenewalFailed(string vault) =>
        (e, failures) => _log.Write("lease-renewal-failed", new Dictionary<string, object?> { ["vault"] = vault, ["error"] = e.Message, ["failures"] = failures });

    /// <summary>The reason of a pass stopped (or failed at a refused write) because another driver took the vault's lease during it.</summary>
    public const string LeaseLost = "lease-lost";

    /// <summary>The node's block number for a block-triggered vault; null (logged) when the node does not answer, so the keeper tries again.</summary>
    private async Task<System.Numerics.BigInteger?> HeadAsync(KeeperPass pass, CancellationToken stop)
    {
        try
        {
            return await pass.Client.GetBlockNumberAsync(stop).ConfigureAwait(false);
        }
        catch (Chain.Rpc.RpcException e)
        {
            _log.Write("unreachable", new Dictionary<string, object?> { ["vault"] = pass.Vault.Name, ["error"] = e.Message });
            return null;
        }
    }

    /// <summary>The lease key of a vault: chain id and address, so one vault is one lease whatever its name in each keeper.json.</summary>
    public static string LeaseKey(VaultSettings vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return $"{vault.ChainId}:{vault.Vault.ToString().ToLowerInvariant()}";
    }

    private async Task AppendAsync(DecisionRecord record)
    {
        await _store.AppendDecisionAsync(record, CancellationToken.None).ConfigureAwait(false);
        _log.Write("pass", new Dictionary<string, object?>
        {
            ["vault"] = record.Vault, ["slot"] = record.Slot, ["outcome"] = record.Outcome, ["reason"] = record.Reason, ["model"] = record.Model,
            ["modelSha256"] = record.ModelSha256, ["swaps"] = record.Swaps.Count, ["gasUsed"] = record.GasUsed, ["dryRun"] = record.DryRun,
            ["durationMs"] = Math.Round(record.DurationMs, 1), ["explanation"] = record.Explanation,
        });
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        foreach (var pass in _passes.Where(p => _held.Contains(LeaseKey(p.Vault))))
        {
            // Extend only: a lease lost between passes is asked for again (a fresh acquire) at the vault's next pass.
            var lease = await _store.TryRenewLeaseAsync(LeaseKey(pass.Vault), Owner, _settings.Lease, _time.GetUtcNow(), stop).ConfigureAwait(false);
            if (!lease.Renewed)
            {
                _held.Remove(LeaseKey(pass.Vault));
                _log.Write("lease-lost", new Dictionary<string, object?> { ["vault"] = pass.Vault.Name, ["holder"] = lease.Lease?.Owner });
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var p in _passes)
        {
            p.Dispose();
        }
    }
}
