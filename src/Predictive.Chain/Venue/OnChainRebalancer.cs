using Predictive.Chain.Rpc;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>The outcome of one on-chain rebalance (one bar of the live clock).</summary>
/// <param name="Bar">The bar index the live clock decided.</param>
/// <param name="Decision">Why it traded or not.</param>
/// <param name="Guards">Every guard's result on the decision.</param>
/// <param name="SliceGuards">Every guard's result on the pending plan's due slices (empty when none were due).</param>
/// <param name="Swaps">The swaps, in order (resumed ones, due slices, then the new plan's first swaps).</param>
/// <param name="WeightsBefore">Vault weights before, at reference prices.</param>
/// <param name="WeightsAfter">Vault weights after, at reference prices.</param>
/// <param name="Notes">Slices not sent and why, legs skipped or shortened, resumption.</param>
/// <param name="RunId">The run's label (null when nothing was sent).</param>
/// <param name="Resumed">Whether an interrupted run was continued.</param>
/// <param name="DryRun">Whether swaps were only simulated.</param>
/// <param name="PendingSlices">Slices of the plan still due on later runs.</param>
public sealed record OnChainRebalanceReport(
    int Bar, DecisionSummary Decision, IReadOnlyList<GuardResult> Guards, IReadOnlyList<GuardResult> SliceGuards, IReadOnlyList<OnChainSwapReport> Swaps,
    IReadOnlyDictionary<string, double> WeightsBefore, IReadOnlyDictionary<string, double> WeightsAfter, IReadOnlyList<string> Notes, string? RunId,
    bool Resumed, bool DryRun, int PendingSlices)
{
    /// <summary>Gas used by every swap.</summary>
    public long GasUsedTotal => Swaps.Sum(s => s.GasUsed);
}

/// <summary>The node stopped answering (or a receipt did not come) mid-rebalance; the run is saved and resumes on the next call.</summary>
public sealed class RebalanceInterruptedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RebalanceInterruptedException(string runId, int swapIndex, int swapCount, string runFile, Exception inner)
        : base($"Rebalance {runId} stopped at swap {swapIndex + 1} of {swapCount}: {inner?.Message} The run is saved in {runFile}; run the rebalance again to resume it (swaps already sent are finished from the journal, never sent twice).", inner)
    {
        RunId = runId;
        SwapIndex = swapIndex;
        SwapCount = swapCount;
        RunFile = runFile;
    }

    /// <summary>The interrupted run.</summary>
    public string RunId { get; }

    /// <summary>The swap (0-based) that was in progress.</summary>
    public int SwapIndex { get; }

    /// <summary>Swaps sent in the run so far.</summary>
    public int SwapCount { get; }

    /// <summary>Where the run is saved.</summary>
    public string RunFile { get; }
}

/// <summary>
/// One bar of a vault on chain through the one composition (<see cref="RebalancePipeline"/> on the live clock,
/// <see cref="LiveRebalancer"/>): the reference prices come through the <see cref="IReferencePriceSource"/> seam,
/// the pending plan's due slices are re-quoted and re-guarded, the guarded policy decides with the real bar index,
/// the risk model and the history, and the orders go out through the <see cref="OnChainVenue"/> as legs of the
/// decision slot. The live state (history, pending plan, bar counter) is saved in <c>keeper.state.json</c> and the
/// orders of a run in progress in <c>rebalance-run.json</c>, both in <c>stateDirectory</c> beside the journal.
/// </summary>
public sealed class OnChainRebalancer
{
    /// <summary>The live state's file name in the state directory.</summary>
    public const string StateFileName = "keeper.state.json";

    /// <summary>The run-in-progress file name in the state directory.</summary>
    public const string RunFileName = "rebalance-run.json";

    private readonly OnChainVenue _venue;
    private readonly RebalancePipelineOptions _options;
    private readonly IReferencePriceSource _reference;
    private readonly LiveClockOptions _clock;
    private readonly TimeProvider _time;
    private readonly IStateDocuments _documents;

    /// <summary>Creates the rebalancer.</summary>
    /// <param name="venue">The vault's venue.</param>
    /// <param name="options">The composition's options: policy, guards, costs, planner, benefit (the backtest's objects).</param>
    /// <param name="reference">Where reference prices come from (never the pools the keeper trades in).</param>
    /// <param name="stateDirectory">Where the live state and the run in progress are kept (beside the keeper's journal).</param>
    /// <param name="clock">History lengths; a dry run never saves state.</param>
    /// <param name="timeProvider">The clock for run labels.</param>
    public OnChainRebalancer(OnChainVenue venue, RebalancePipelineOptions options, IReferencePriceSource reference, string stateDirectory, LiveClockOptions? clock = null, TimeProvider? timeProvider = null)
        : this(venue, options, reference, new FileStateDocuments(stateDirectory ?? throw new ArgumentNullException(nameof(stateDirectory))), clock, timeProvider)
    {
    }

    /// <summary>Creates the rebalancer with its live state and run in progress kept in <paramref name="documents"/> (a cluster's shared database, or files).</summary>
    /// <param name="venue">The vault's venue.</param>
    /// <param name="options">The composition's options.</param>
    /// <param name="reference">Where reference prices come from.</param>
    /// <param name="documents">Where the live state (<see cref="StateFileName"/>) and the run in progress (<see cref="RunFileName"/>) are kept.</param>
    /// <param name="clock">History lengths; a dry run never saves state.</param>
    /// <param name="timeProvider">The clock for run labels.</param>
    public OnChainRebalancer(OnChainVenue venue, RebalancePipelineOptions options, IReferencePriceSource reference, IStateDocuments documents, LiveClockOptions? clock = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(documents);
        options.Validate();
        _documents = documents;
        _venue = venue;
        _options = options;
        _reference = reference;
        _clock = (clock ?? new LiveClockOptions()) with { ReadOnly = venue.DryRun || (clock?.ReadOnly ?? false) };
        _time = timeProvider ?? TimeProvider.System;
        StatePath = documents.Describe(StateFileName);
        RunFile = documents.Describe(RunFileName);
    }

    /// <summary>The live state's file (or where its document lives).</summary>
    public string StatePath { get; }

    /// <summary>The run-in-progress file (or where its document lives).</summary>
    public string RunFile { get; }

    /// <summary>The symbols in weight order: the assets, then the quote token (cash).</summary>
    public IReadOnlyList<string> Symbols => [.. _venue.Market.Assets.Select(a => a.Symbol), _venue.QuoteAsset];

    /// <summary>
    /// The default decision slot: the UTC hour of the latest block's timestamp (chain time, never the local clock), as
    /// <c>yyyyMMddTHHZ</c>. Two processes deciding within that hour decide the same slot.
    /// </summary>
    public static async Task<string> ChainHourSlotAsync(EvmRpcClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var time = await client.GetLatestTimestampAsync(cancellationToken).ConfigureAwait(false);
        return time.UtcDateTime.ToString("yyyyMMdd'T'HH'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Records the pools and reference prices now into the live history without deciding (warming up the guards' window).</summary>
    public async Task ObserveAsync(CancellationToken cancellationToken = default) =>
        await Live(new RebalancePipeline(_venue, _options, _reference)).ObserveAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// One bar towards <paramref name="targets"/> (symbol → weight; missing symbols are 0) as decision slot
    /// <paramref name="slot"/>; an interrupted run is first finished from the journal.
    /// </summary>
    /// <exception cref="ArgumentException">A target names an unknown symbol, or the slot is invalid.</exception>
    /// <exception cref="RebalanceInterruptedException">The node stopped answering; run again to resume.</exception>
    /// <exception cref="VenueException">The keeper's journal holds different orders for this slot (it was decided before).</exception>
    public Task<OnChainRebalanceReport> RunAsync(IReadOnlyDictionary<string, double> targets, string slot, CancellationToken cancellationToken = default) =>
        RunAsync(Symbols, targets, slot, cancellationToken);

    /// <summary>As <see cref="RunAsync(IReadOnlyDictionary{string, double}, string, CancellationToken)"/>, over <paramref name="symbols"/> (the quote token listed or not).</summary>
    public async Task<OnChainRebalanceReport> RunAsync(IReadOnlyList<string> symbols, IReadOnlyDictionary<string, double> targets, string slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(targets);
        SwapIntentIds.CheckSlot(slot);
        var unknown = targets.Keys.Where(k => !symbols.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Target weights name unknown symbol(s) {string.Join(", ", unknown)}; the vault holds {string.Join(", ", symbols)}.", nameof(targets));
        }

        var recorder = new SlotRecorder(_venue, _documents, RunFileName, slot, _time.GetUtcNow());
        var pipeline = new RebalancePipeline(recorder, _options, _reference);
        var first = _venue.Reports.Count;
        var notes = new List<string>();
        var before = await WeightsAsync(pipeline, cancellationToken).ConfigureAwait(false);
        try
        {
            var resumed = await recorder.ResumeAsync(cancellationToken).ConfigureAwait(false);
            if (resumed is not null)
            {
                notes.Add($"resumed interrupted run {resumed.RunId} ({resumed.Orders.Count} swaps of slot {resumed.Slot}) from {RunFile}.");
            }

            var live = await Live(pipeline).RunAsync(symbols, targets, cancellationToken).ConfigureAwait(false);
            recorder.Finish();
            var step = live.Step;
            notes.AddRange(step.Slices?.Notes ?? []);
            notes.AddRange(step.Plan?.Notes ?? []);
            notes.AddRange(step.Trades?.Notes ?? []);
            var after = await WeightsAsync(pipeline, cancellationToken).ConfigureAwait(false);
            var pending = Live(pipeline).LoadState().Pending;
            var pendingSlices = pending is null ? 0 : pending.Plan.Swaps.Count(s => s.BarOffset > live.Bar - pending.Bar);
            return new OnChainRebalanceReport(
                live.Bar, DecisionSummary.Of(step.Decision), step.Decision.Guards, step.SliceGuards, [.. _venue.Reports.Skip(first)], before, after, notes,
                recorder.Sent > 0 ? recorder.RunId : null, resumed is not null, _venue.DryRun, pendingSlices);
        }
        catch (Exception e) when (e is RpcException or TimeoutException or HttpRequestException)
        {
            throw new RebalanceInterruptedException(recorder.RunId, Math.Max(0, recorder.Sent - 1), recorder.Sent, RunFile, e);
        }
    }

    private LiveRebalancer Live(RebalancePipeline pipeline) => new(pipeline, _venue.GetHoldingsAsync, _reference, _documents, StateFileName, _clock);

    private async Task<IReadOnlyDictionary<string, double>> WeightsAsync(RebalancePipeline pipeline, CancellationToken cancellationToken)
    {
        var symbols = Symbols;
        var market = await pipeline.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var holdings = await _venue.GetHoldingsAsync(cancellationToken).ConfigureAwait(false);
        return DecisionSummary.ByAsset(symbols, holdings.Weights(symbols, market));
    }
}
