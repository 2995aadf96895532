using System.Text.Json;
using Predictive.Operator.History;
using Predictive.Operator.Storage;
using Quartz;

namespace Predictive.Operator.Lifecycle;

/// <summary>
/// Promotes the oldest approved challenger through the one registered <see cref="IModelPromoter"/>: with governance
/// off, it is activated (the service's admin API, or the models directory's activation record when no service is
/// configured); with governance on, a Governor proposal is filed (<see cref="Governance.GovernanceProposer"/>). One path
/// or the other, never both, and only for a challenger whose recorded evaluation passes the rule.
/// </summary>
/// <remarks>
/// Misfire policy: fire once now (<c>FireAndProceed</c>); it drains approved challengers. Both paths are idempotent (the
/// same model activated twice is recorded once; a proposal already filed is found, not filed again), so a re-run after
/// a crash between the promotion and its bookkeeping is safe.
/// </remarks>
[DisallowConcurrentExecution]
public sealed class PromoteJob(IChallengerStore challengers, IModelPromoter promoter, TimeProvider time) : IJob
{
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

        var promoted = await promoter.PromoteAsync(winner, cancellationToken).ConfigureAwait(false);
        await challengers.TransitionAsync(winner.Key, ChallengerStatus.Approved, ChallengerStatus.Promoted, promoted, null, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        context.Result = new JobReport($"{winner.Key} promoted: {promoted}", winner.Sha256);
    }
}
