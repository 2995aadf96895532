using System.Text.Json;
using Microsoft.Extensions.Options;
using Predictive.Operator.History;
using Predictive.Operator.Options;
using Predictive.Operator.Storage;
using Quartz;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Promotes the oldest approved challenger: with governance off, activates it (the service's admin API, or the models
/// directory's activation record when no service is configured); with governance on, files a Governor proposal. One
/// path or the other, never both, and only for a challenger whose recorded evaluation passes the rule.
/// </summary>
/// <remarks>
/// Misfire policy: fire once now (<c>FireAndProceed</c>); it drains approved challengers. Activation is idempotent (the
/// same model activated twice is recorded once), so a re-run after a crash between activation and bookkeeping is safe.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class PromoteJob(IOptions<OperatorOptions> options, IChallengerStore challengers, IModelActivator activator, TimeProvider time) : IJob
{
    /// <summary>The refusal while governed promotion does not exist yet.</summary>
    public const string GovernedRefusal = "governance is on, so a winner is promoted only by a Governor proposal, and the proposal path (issue 16: Governor, Timelock, on-chain ModelRegistry) is not built yet; nothing was activated. Turn Operator:Governance:Enabled off to activate through the service's admin API.";

    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var winner = await challengers.NextAsync(ChallengerStatus.Approved, cancellationToken).ConfigureAwait(false);
        if (winner is null)
        {
            context.Result = new JobReport("no approved challenger waits for promotion");
            return;
        }

        var evaluation = winner.EvaluationJson is { } json ? JsonSerializer.Deserialize<Evaluation>(json) : null;
        if (evaluation is null || !evaluation.Promote || !Evaluation.Passes(evaluation.DifferenceCiLow, evaluation.DeflatedSharpe, evaluation.MinDeflatedSharpe))
        {
            await challengers.TransitionAsync(winner.Key, ChallengerStatus.Approved, ChallengerStatus.Rejected, "its recorded evaluation does not pass the promotion rule; a loser is never promoted", null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            context.Result = new JobReport($"{winner.Key} not promoted: its evaluation does not pass the rule", winner.Sha256);
            return;
        }

        if (options.Value.Governance.Enabled)
        {
            await challengers.TransitionAsync(winner.Key, ChallengerStatus.Approved, ChallengerStatus.Refused, GovernedRefusal, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            throw new JobExecutionException($"{winner.Key} was not promoted: {GovernedRefusal}");
        }

        var activated = await activator.ActivateAsync(winner, cancellationToken).ConfigureAwait(false);
        await challengers.TransitionAsync(winner.Key, ChallengerStatus.Approved, ChallengerStatus.Promoted, activated, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        context.Result = new JobReport($"{winner.Key} promoted: {activated}", winner.Sha256);
    }
}
