namespace Predictive.Operator.Storage;

/// <summary>
/// Every job run: started when Quartz hands the job over, finished when it returns. The SQLite store serves one node;
/// the PostgreSQL store, behind the same interface, serves a cluster (see <see cref="SqlRunHistory"/>).
/// </summary>
public interface IRunHistory
{
    /// <summary>Records a run that is starting; returns its id.</summary>
    Task<long> StartAsync(RunStart run, CancellationToken cancellationToken);

    /// <summary>Records how a run ended.</summary>
    Task FinishAsync(long id, RunEnd ending, CancellationToken cancellationToken);

    /// <summary>Marks this node's runs that never finished (the node died) as <c>interrupted</c>; returns how many.</summary>
    Task<int> MarkInterruptedAsync(string node, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the unfinished runs of <paramref name="job"/> (on any node) as <c>interrupted</c> when
    /// <paramref name="recoveringNode"/> starts its recovery: the job never runs concurrently, so a run still open then
    /// belonged to a node the cluster declared dead. Returns how many.
    /// </summary>
    Task<int> MarkRecoveredAsync(string job, string recoveringNode, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The newest runs first.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(int limit, string? job, CancellationToken cancellationToken);
}

/// <summary>
/// The trial ledger: every challenger ever evaluated, with the statistics the deflated Sharpe ratio needs. One ledger
/// per database; the research search (issue 19) records its trials in the same table.
/// </summary>
public interface ITrialLedger
{
    /// <summary>Records a trial; recording the same trial id again changes nothing. Returns every trial, this one included.</summary>
    Task<IReadOnlyList<TrialRecord>> RecordAsync(TrialRecord trial, CancellationToken cancellationToken);

    /// <summary>Every trial, oldest first.</summary>
    Task<IReadOnlyList<TrialRecord>> AllAsync(CancellationToken cancellationToken);
}

/// <summary>Challengers through their lifecycle: trained → evaluated (approved or rejected) → promoted (or refused).</summary>
public interface IChallengerStore
{
    /// <summary>Records a trained challenger; a challenger already recorded (same key) is left as it is. Returns the stored one.</summary>
    Task<ChallengerRecord> AddAsync(ChallengerRecord challenger, CancellationToken cancellationToken);

    /// <summary>The oldest challenger in <paramref name="status"/>, or null.</summary>
    Task<ChallengerRecord?> NextAsync(ChallengerStatus status, CancellationToken cancellationToken);

    /// <summary>One challenger, or null.</summary>
    Task<ChallengerRecord?> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>Moves a challenger from <paramref name="from"/> to <paramref name="target"/> with a note; false when it was not in <paramref name="from"/> (someone else moved it).</summary>
    Task<bool> TransitionAsync(string key, ChallengerStatus from, ChallengerStatus target, string note, string? evaluationJson, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every challenger, newest first.</summary>
    Task<IReadOnlyList<ChallengerRecord>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>A run that starts.</summary>
public sealed record RunStart(string Job, string Trigger, string Node, string FireInstanceId, bool Recovering, DateTimeOffset? Scheduled, DateTimeOffset Started);

/// <summary>How a run ended.</summary>
public sealed record RunEnd(DateTimeOffset Ended, RunOutcome Outcome, string? Message, string? ModelSha256, string? MetricsJson, string? Error);

/// <summary>The outcome of a run.</summary>
public enum RunOutcome
{
    /// <summary>Still running (or its node died and no one has noticed yet).</summary>
    Running,

    /// <summary>Finished its work.</summary>
    Succeeded,

    /// <summary>Threw.</summary>
    Failed,

    /// <summary>Stopped by a shutdown.</summary>
    Cancelled,

    /// <summary>Its node died mid-run; a recovery run follows if the job requests recovery.</summary>
    Interrupted,
}

/// <summary>One row of the run history.</summary>
public sealed record RunRecord(
    long Id,
    string Job,
    string Trigger,
    string Node,
    string FireInstanceId,
    bool Recovering,
    DateTimeOffset? Scheduled,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    RunOutcome Outcome,
    string? Message,
    string? ModelSha256,
    string? MetricsJson,
    string? Error)
{
    /// <summary>From the scheduled fire time to the start, when both are known.</summary>
    public TimeSpan? StartLatency => Scheduled is { } s ? Started - s : null;
}

/// <summary>One trial: a strategy evaluated on a window, with its per-bar Sharpe ratio and the moments the PSR needs.</summary>
/// <param name="TrialId">A unique id (the challenger's key for the operator).</param>
/// <param name="Source">Who ran it: <c>operator</c> or <c>research</c>.</param>
/// <param name="Window">The evaluation window, <c>start/end</c>.</param>
/// <param name="SharpePerBar">The per-bar Sharpe ratio of its net returns.</param>
/// <param name="Observations">The number of returns.</param>
/// <param name="Skewness">Their skewness.</param>
/// <param name="Kurtosis">Their (non-excess) kurtosis.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record TrialRecord(string TrialId, string Source, string Window, double SharpePerBar, int Observations, double Skewness, double Kurtosis, DateTimeOffset RecordedAt);

/// <summary>Where a challenger is in its lifecycle.</summary>
public enum ChallengerStatus
{
    /// <summary>Trained and published, waiting for its evaluation.</summary>
    Trained,

    /// <summary>Evaluated and found better: waiting for promotion.</summary>
    Approved,

    /// <summary>Evaluated and not better (or not evaluable); never promoted.</summary>
    Rejected,

    /// <summary>Activated (ungoverned) or proposed to the Governor (governed; served once the proposal is executed).</summary>
    Promoted,

    /// <summary>Promotion refused for good (kept for records written before governed promotion existed).</summary>
    Refused,
}

/// <summary>A challenger.</summary>
/// <param name="Key">Its model key, <c>name/version</c>.</param>
/// <param name="Sha256">Its <c>model.onnx</c> SHA-256.</param>
/// <param name="Directory">Its published folder.</param>
/// <param name="TrainedThrough">The time of the last bar its training or validation saw.</param>
/// <param name="Status">Where it is.</param>
/// <param name="Note">Why it is there.</param>
/// <param name="EvaluationJson">Its evaluation record, once evaluated.</param>
/// <param name="CreatedAt">When it was recorded.</param>
/// <param name="UpdatedAt">When it last moved.</param>
public sealed record ChallengerRecord(string Key, string Sha256, string Directory, DateTimeOffset TrainedThrough, ChallengerStatus Status, string Note, string? EvaluationJson, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
