using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Predictive.Operator.Data;
using Predictive.Operator.History;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;
using Predictive.Operator.Telemetry;
using Quartz;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Judges the oldest challenger waiting for evaluation against the champion (see <see cref="ChampionChallenger"/>),
/// records the evaluation and the trial, and starts a promotion when the challenger wins.
/// </summary>
/// <remarks>
/// Misfire policy: fire once now (<c>FireAndProceed</c>); the job only drains pending challengers, so one late firing
/// does all a missed one would have. Re-running it is harmless: a challenger leaves <c>Trained</c> in one transition,
/// and its trial is recorded once.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class EvaluateJob(MarketDataSource data, IOptions<OperatorOptions> options, IChallengerStore challengers, ITrialLedger ledger, IChampionSource champions, OperatorMetrics metrics, TimeProvider time) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var challenger = await challengers.NextAsync(ChallengerStatus.Trained, cancellationToken).ConfigureAwait(false);
        if (challenger is null)
        {
            context.Result = new JobReport("no challenger waits for evaluation");
            return;
        }

        var o = options.Value;
        var started = time.GetTimestamp();
        var panel = await data.LoadAsync(cancellationToken).ConfigureAwait(false);
        var reports = Path.Combine(o.WorkingDirectory, "evaluations", challenger.Key.Replace('/', Path.DirectorySeparatorChar));
        var champion = await champions.CurrentAsync(cancellationToken).ConfigureAwait(false);
        Evaluation evaluation;
        try
        {
            evaluation = await new ChampionChallenger(o, ledger, time).EvaluateAsync(panel, challenger, champion, reports, cancellationToken).ConfigureAwait(false);
        }
        catch (EvaluationException e)
        {
            await challengers.TransitionAsync(challenger.Key, ChallengerStatus.Trained, ChallengerStatus.Rejected, $"not evaluable: {e.Message}", null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            context.Result = new JobReport($"{challenger.Key} rejected without evaluation: {e.Message}", challenger.Sha256);
            return;
        }

        var json = JsonSerializer.Serialize(evaluation);
        var to = evaluation.Promote ? ChallengerStatus.Approved : ChallengerStatus.Rejected;
        await challengers.TransitionAsync(challenger.Key, ChallengerStatus.Trained, to, evaluation.Reason, json, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        metrics.Decision(evaluation.Promote);
        context.Result = new JobReport(
            string.Create(CultureInfo.InvariantCulture, $"{challenger.Key} vs {evaluation.Champion}: {(evaluation.Promote ? "promote" : "keep champion")}; {evaluation.Reason}"),
            challenger.Sha256,
            new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["seconds"] = time.GetElapsedTime(started).TotalSeconds,
                ["challenger_sharpe"] = evaluation.ChallengerSharpe,
                ["champion_sharpe"] = evaluation.ChampionSharpe,
                ["difference_ci_low"] = evaluation.DifferenceCiLow,
                ["difference_ci_high"] = evaluation.DifferenceCiHigh,
                ["deflated_sharpe"] = evaluation.DeflatedSharpe,
                ["trials"] = evaluation.Trials,
                ["promote"] = evaluation.Promote ? 1 : 0,
            });
        if (evaluation.Promote)
        {
            await context.Scheduler.TriggerJob(JobKeys.Promote, cancellationToken).ConfigureAwait(false);
        }
    }
}
