using Microsoft.Extensions.Options;
using Predictive.Operator.Data;
using Predictive.Operator.History;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;
using Quartz;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Refreshes the data, trains a challenger with the recorded configuration on every bar but the evaluation window,
/// publishes it as a new version (never the active one), records it, and starts an evaluation.
/// </summary>
/// <remarks>
/// Misfire policy: fire once now (<c>FireAndProceed</c>): a retrain missed while the node was down runs once when it
/// is back, not once per missed slot. Recovery: requested; a node killed mid-training leaves only a staging folder, and
/// the recovery firing (<c>context.Recovering</c>) trains the same version again and publishes it once.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class RetrainJob(MarketDataSource data, IOptions<OperatorOptions> options, IChallengerStore challengers, TimeProvider time) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var o = options.Value;
        var started = time.GetTimestamp();
        var panel = await data.LoadAsync(cancellationToken).ConfigureAwait(false);
        var commandLine = $"predictive-operator retrain ({o.Retrain.Kind}, seed {o.Retrain.Seed}, {(o.Retrain.Kind == "gbm" ? $"{o.Retrain.GbmTrees} trees" : $"{o.Retrain.Epochs} epochs")}, data: {data.Describe()}, evaluation window {o.Evaluation.WindowBars} bars held out)";

        // Training is CPU-bound and synchronous; it polls the token between batches, so a shutdown stops it there.
        var outcome = await Task.Run(() => ChallengerTrainer.Train(panel, o, commandLine, cancellationToken), cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var record = await challengers.AddAsync(
            new ChallengerRecord(outcome.Key, outcome.Sha256, outcome.Directory, outcome.TrainedThrough, ChallengerStatus.Trained, outcome.Created ? "trained" : "found already published", null, now, now),
            cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["seconds"] = time.GetElapsedTime(started).TotalSeconds, ["bars"] = panel.BarCount };
        if (outcome.ValidationSharpe is { } sharpe && double.IsFinite(sharpe))
        {
            metrics["validation_sharpe"] = sharpe;
        }

        context.Result = new JobReport(
            outcome.Created ? $"trained {outcome.Key}{(context.Recovering ? " (recovered run)" : "")}" : $"{outcome.Key} was already published for this data and configuration; nothing trained",
            outcome.Sha256,
            metrics);
        if (record.Status == ChallengerStatus.Trained)
        {
            await context.Scheduler.TriggerJob(JobKeys.Evaluate, cancellationToken).ConfigureAwait(false);
        }
    }
}
