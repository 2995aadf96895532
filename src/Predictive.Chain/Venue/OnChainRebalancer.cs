using Predictive.Chain.Rpc;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>The outcome of one on-chain rebalance.</summary>
/// <param name="Decision">Why it traded or not.</param>
/// <param name="Swaps">The swaps, in order.</param>
/// <param name="WeightsBefore">Vault weights before, at pool mid prices.</param>
/// <param name="WeightsAfter">Vault weights after, at pool mid prices.</param>
/// <param name="Notes">Legs skipped or shortened, resumption.</param>
/// <param name="RunId">The run's id (null when nothing was planned).</param>
/// <param name="Resumed">Whether an interrupted run was continued.</param>
/// <param name="DryRun">Whether swaps were only simulated.</param>
public sealed record OnChainRebalanceReport(
    DecisionSummary Decision, IReadOnlyList<OnChainSwapReport> Swaps, IReadOnlyDictionary<string, double> WeightsBefore,
    IReadOnlyDictionary<string, double> WeightsAfter, IReadOnlyList<string> Notes, string? RunId, bool Resumed, bool DryRun)
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

    /// <summary>Swaps in the run.</summary>
    public int SwapCount { get; }

    /// <summary>Where the run is saved.</summary>
    public string RunFile { get; }
}

/// <summary>
/// One rebalance of a vault: read balances and pools, let the policy decide, plan with the <see cref="TradePlanner"/>,
/// save the plan, and execute it swap by swap through the <see cref="OnChainVenue"/>. A saved unfinished run is resumed
/// before anything new is decided.
/// </summary>
public sealed class OnChainRebalancer
{
    private readonly OnChainVenue _venue;
    private readonly IRebalancingPolicy _policy;
    private readonly TradePlanner _planner;
    private readonly string _runFile;
    private readonly TimeProvider _time;

    /// <summary>Creates the rebalancer; <paramref name="runFile"/> holds the run in progress.</summary>
    public OnChainRebalancer(OnChainVenue venue, IRebalancingPolicy policy, TradePlanner planner, string runFile, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentException.ThrowIfNullOrWhiteSpace(runFile);
        _venue = venue;
        _policy = policy;
        _planner = planner;
        _runFile = runFile;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The symbols in weight order: the assets, then the quote token (cash).</summary>
    public IReadOnlyList<string> Symbols => [.. _venue.Market.Assets.Select(a => a.Symbol), _venue.QuoteAsset];

    /// <summary>
    /// The default decision slot: the UTC hour of the latest block's timestamp (chain time, never the local clock), as
    /// <c>yyyyMMddTHHZ</c>. Two processes deciding within that hour decide the same slot.
    /// </summary>
    public static async Task<string> ChainHourSlotAsync(EvmRpcClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var block = await client.GetBlockByNumberAsync(BlockTag.Latest, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The node returned no latest block.");
        return block.Timestamp.UtcDateTime.ToString("yyyyMMdd'T'HH'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Rebalances towards <paramref name="targets"/> (symbol → weight; missing symbols are 0) as decision slot
    /// <paramref name="slot"/>, or resumes an interrupted run (in the slot it was saved with).
    /// </summary>
    /// <exception cref="ArgumentException">A target names an unknown symbol, or the slot is invalid.</exception>
    /// <exception cref="RebalanceInterruptedException">The node stopped answering; run again to resume.</exception>
    /// <exception cref="VenueException">The keeper's journal holds different orders for this slot (it was decided before).</exception>
    public async Task<OnChainRebalanceReport> RunAsync(IReadOnlyDictionary<string, double> targets, string slot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        SwapIntentIds.CheckSlot(slot);
        var symbols = Symbols;
        var unknown = targets.Keys.Where(k => !symbols.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Target weights name unknown symbol(s) {string.Join(", ", unknown)}; the vault holds {string.Join(", ", symbols)}.", nameof(targets));
        }

        var snapshot = await _venue.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var holdings = await _venue.GetHoldingsAsync(cancellationToken).ConfigureAwait(false);
        var before = DecisionSummary.ByAsset(symbols, holdings.Weights(symbols, snapshot));
        var notes = new List<string>();
        var run = _venue.DryRun ? null : RebalanceRun.Load(_runFile);
        var resumed = run is not null;
        if (run is null)
        {
            var target = symbols.Select(s => targets.GetValueOrDefault(s)).ToArray();
            var decision = _policy.Decide(new RebalanceContext
            {
                Bar = 0, Assets = symbols, CurrentWeights = holdings.Weights(symbols, snapshot), TargetWeights = target,
                PortfolioValueQuote = holdings.ValueQuote(snapshot), Market = snapshot,
            });
            var plan = decision.Trade ? _planner.Plan(snapshot, holdings, symbols, decision.NewWeights) : TradePlan.Empty;
            notes.AddRange(plan.Notes);
            run = new RebalanceRun($"rebalance-{_time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}", slot, _time.GetUtcNow(), DecisionSummary.Of(decision), RebalanceRun.OrdersOf(plan));
            if (run.Orders.Count == 0)
            {
                return new OnChainRebalanceReport(run.Decision, [], before, before, notes, null, false, _venue.DryRun);
            }

            if (!_venue.DryRun)
            {
                run.Save(_runFile);
            }
        }
        else
        {
            notes.Add($"resumed interrupted run {run.RunId} ({run.Orders.Count} swaps) from {_runFile}.");
        }

        var first = _venue.Reports.Count;
        for (var i = 0; i < run.Orders.Count; i++)
        {
            var o = run.Orders[i];
            try
            {
                await _venue.ExecuteAsync(new SwapOrder(o.AssetIn, o.AssetOut, o.AmountIn, o.MinAmountOut), run.Slot, i, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or TimeoutException or HttpRequestException)
            {
                throw new RebalanceInterruptedException(run.RunId, i, run.Orders.Count, _runFile, e);
            }
        }

        if (!_venue.DryRun)
        {
            File.Delete(_runFile);
        }

        var afterSnapshot = await _venue.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var afterHoldings = await _venue.GetHoldingsAsync(cancellationToken).ConfigureAwait(false);
        var after = DecisionSummary.ByAsset(symbols, afterHoldings.Weights(symbols, afterSnapshot));
        return new OnChainRebalanceReport(run.Decision, [.. _venue.Reports.Skip(first)], before, after, notes, run.RunId, resumed, _venue.DryRun);
    }
}
