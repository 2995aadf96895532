using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Predictive.Onnx.Registry;
using Predictive.Operator.History;
using Predictive.Operator.Options;
using Quartz;

namespace Predictive.Operator.Keeper;

/// <summary>
/// One keeper pass for one vault: today's pass is <c>predictive rebalance --chain … --model &lt;active model&gt;</c>,
/// run as a child process so there is exactly one implementation of it. The keeper component of issue 15 (targets
/// from the service, per-vault lease, gas gate, decision log) replaces this call with an in-process pass; the job's
/// key, schedule, misfire policy and recovery stay.
/// </summary>
/// <remarks>
/// One job key per vault (<c>keeper-&lt;vault&gt;</c>) with <c>[DisallowConcurrentExecution]</c>, so a vault's passes never
/// overlap on a node; <c>RequestRecovery</c>, so a pass cut off by a crash runs again, and the rebalance resumes from
/// its journal instead of trading a second time. Misfire policy: skip to the next slot
/// (<c>NextWithRemainingCount</c>): a pass is about the market now, and a burst of missed passes would only trade late.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class KeeperJob(IOptions<OperatorOptions> options) : IJob
{
    /// <summary>The job-data key naming the vault.</summary>
    public const string VaultKey = "vault";

    /// <summary>How long a pass may finish its current step after a shutdown asks it to stop, before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

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

        var modelDirectory = Path.GetFullPath(Path.Combine(o.ModelsDirectory, active.Key));
        var start = new ProcessStartInfo(o.Keeper.Command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in o.Keeper.CommandPrefix.Concat(["rebalance", "--chain", vault.Chain, "--model", modelDirectory, "--policy", vault.Policy, "--json"]))
        {
            start.ArgumentList.Add(argument);
        }

        if (vault.DryRun)
        {
            start.ArgumentList.Add("--dry-run");
        }

        using var process = Process.Start(start) ?? throw new JobExecutionException($"could not start {o.Keeper.Command}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Let the pass finish the step it is in; the rebalance journal resumes whatever is left on the next pass.
            using var grace = new CancellationTokenSource(StopGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new JobExecutionException($"vault {vault.Name}: the pass exited with {process.ExitCode}: {errors.Trim()}");
        }

        using var result = JsonDocument.Parse(output);
        var decision = result.RootElement.GetProperty("decision");
        var swaps = result.RootElement.GetProperty("swaps").GetArrayLength();
        context.Result = new JobReport(
            $"vault {vault.Name}: {(decision.GetProperty("trade").GetBoolean() ? "trade" : "no trade")} ({decision.GetProperty("reason").GetString()}), {swaps} swap(s), model {active.Key}",
            active.Sha256,
            new Dictionary<string, double>(StringComparer.Ordinal) { ["swaps"] = swaps, ["gas_used"] = result.RootElement.GetProperty("gasUsedTotal").GetInt64() });
    }
}
