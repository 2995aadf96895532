using Microsoft.Extensions.Options;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Pass;
using Predictive.Keeper.Running;
using Predictive.Onnx.Registry;
using Predictive.Operator.History;
using Predictive.Operator.Options;
using Quartz;

namespace Predictive.Operator.Keeper;

/// <summary>
/// One keeper pass for one vault, in process: the keeper's own pass (<see cref="KeeperRunner"/> over keeper.json's vault:
/// targets from the service, oracle, gas gate, composition, journal), under the vault's lease in the keeper store that
/// <c>predictive keeper run</c> uses too, so a job and a standalone keeper never drive one vault together. On a
/// PostgreSQL cluster the pass's journal and live state are in the database, every write fenced by that lease
/// (<see cref="IKeeperStoreFactory.StateStores"/>), so nothing of a pass stays on the node's disk.
/// </summary>
/// <remarks>
/// One job key per vault (<c>keeper-&lt;vault&gt;</c>) with <c>[DisallowConcurrentExecution]</c>, so a vault's passes never
/// overlap on a node; <c>RequestRecovery</c>, so a pass cut off by a crash runs again, and the rebalance resumes from
/// its journal instead of trading a second time. Misfire policy: skip to the next slot
/// (<c>NextWithRemainingCount</c>): a pass is about the market now, and a burst of missed passes would only trade late.
/// When another keeper holds the lease the run succeeds without a pass and its message names the holder, unless the
/// holder is an operator node the cluster has declared dead: then the lease is taken over at once
/// (<see cref="IKeeperStoreFactory.TryTakeOverFromDeadNodeAsync"/>) and the message says so. The lease is renewed every
/// third of its length while the pass runs (<see cref="LeaseRenewal"/>, inside <see cref="KeeperRunner.PassAsync"/>), so a
/// pass longer than the lease keeps writing; when a renewal finds the lease taken the pass stops at its next safe point
/// and the run fails naming the new holder.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class KeeperJob(IOptions<OperatorOptions> options, IKeeperStoreFactory stores, TimeProvider time) : IJob
{
    /// <summary>The job-data key naming the vault.</summary>
    public const string VaultKey = "vault";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        var name = context.MergedJobDataMap.GetString(VaultKey);
        var vault = o.Keeper.Vaults.FirstOrDefault(v => v.Name == name)
            ?? throw new JobExecutionException($"keeper job for vault '{name}' has no Operator:Keeper:Vaults entry; remove the job or add the vault.");
        var active = ActiveModelFile.Read(o.ModelsDirectory)?.Active;
        if (active is null)
        {
            context.Result = new JobReport($"vault {vault.Name}: no active model in {o.ModelsDirectory}; no pass (activate one with `predictive models activate`)");
            return;
        }

        KeeperSettings settings;
        try
        {
            settings = KeeperConfigLoader.Load(o.Keeper.Config!);
        }
        catch (KeeperConfigException e)
        {
            throw new JobExecutionException($"vault {vault.Name}: Operator:Keeper:Config: {e.Message}", e);
        }

        var resolved = settings.Vaults.FirstOrDefault(v => v.Name == vault.Name)
            ?? throw new JobExecutionException($"vault {vault.Name}: {o.Keeper.Config} names no vault '{vault.Name}' (it has: {string.Join(", ", settings.Vaults.Select(v => v.Name))}).");
        var one = settings with { Vaults = [resolved], OnLeaseHeld = LeaseHeldAction.Exit };
        var store = await stores.OpenAsync(one, cancellationToken).ConfigureAwait(false);
        // One owner per node, not per process: a node killed mid-pass that restarts (and recovers the job) takes its own
        // lease back at once; [DisallowConcurrentExecution] keeps a node's passes of one vault apart.
        var owner = $"operator:{o.NodeId}";
        var leaseKey = KeeperRunner.LeaseKey(resolved);

        // The lease comes first, before the chain or the key is touched: a vault another keeper drives is left alone.
        var lease = await store.TryAcquireLeaseAsync(leaseKey, owner, one.Lease, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        string? takenFrom = null;
        if (!lease.Granted && await stores.TryTakeOverFromDeadNodeAsync(lease.Lease, owner, one.Lease, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            // A recovered job does not wait out the dead node's lease: the fence keeps that node from writing once it moved.
            takenFrom = lease.Lease.Owner;
        }
        else if (!lease.Granted)
        {
            context.Result = new JobReport($"vault {vault.Name}: no pass, driven by another keeper ({lease.Lease.Owner}) until {lease.Lease.ExpiresAt:O}");
            return;
        }

        try
        {
            var key = KeySource.Load(one.Key);
            using var http = new HttpClient { BaseAddress = one.ServiceUrl, Timeout = TimeSpan.FromSeconds(60) };
            using var runner = new KeeperRunner(one, store, key, http, new JsonLineLog(TextWriter.Null, time), null, owner, time,
                _ => stores.StateStores(leaseKey, owner) ?? VaultStateStores.Files(one.StateDirectory(resolved)));
            var pass = runner.Passes[0];
            await pass.CheckChainAsync(cancellationToken).ConfigureAwait(false);
            var record = await runner.PassAsync(pass, vault.DryRun, cancellationToken).ConfigureAwait(false)
                ?? throw new JobExecutionException($"vault {vault.Name}: the lease was lost before the pass.");
            if (record.Reason == KeeperRunner.LeaseLost)
            {
                throw new JobExecutionException($"vault {vault.Name}: {record.Outcome}, lease lost: {record.Explanation}");
            }

            if (record.Outcome == "error")
            {
                throw new JobExecutionException($"vault {vault.Name}: the pass failed: {record.Explanation}");
            }

            context.Result = new JobReport(
                $"vault {vault.Name}: {record.Outcome} ({record.Reason}), {record.Swaps.Count} swap(s), model {record.Model ?? active.Key}{(record.DryRun ? ", dry run" : "")}"
                + (takenFrom is null ? "" : $"; lease taken over from {takenFrom}, a node the cluster declared dead"),
                record.ModelSha256 ?? active.Sha256,
                new Dictionary<string, double>(StringComparer.Ordinal) { ["swaps"] = record.Swaps.Count, ["gas_used"] = record.GasUsed });
        }
        catch (Exception e) when (e is not JobExecutionException and not OperationCanceledException)
        {
            // Quartz would say "unhandled exception"; the log names the vault and the run history the cause (node, key, service).
            throw new JobExecutionException($"vault {vault.Name}: the pass failed: {e.Message}", e);
        }
        finally
        {
            await store.ReleaseLeaseAsync(leaseKey, owner, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
