using System.ComponentModel.DataAnnotations;
using Predictive.Core.Features;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>How much of the past the live clock keeps.</summary>
public sealed record LiveClockOptions
{
    /// <summary>Earlier venue snapshots handed to guards, as <c>BacktestOptions.GuardHistoryBars</c>. The default value is 8.</summary>
    [Range(0, 10_000, ErrorMessage = "GuardHistoryBars must be in [0, 10000].")]
    public int GuardHistoryBars { get; init; } = 8;

    /// <summary>Returns per risk estimate, as <c>BacktestOptions.RiskWindowBars</c>. The default value is 90.</summary>
    [Range(2, 100_000, ErrorMessage = "RiskWindowBars must be in [2, 100000].")]
    public int RiskWindowBars { get; init; } = 90;

    /// <summary>Read the state but never save it (a dry run that sends nothing must not advance the clock). The default value is false.</summary>
    public bool ReadOnly { get; init; }
}

/// <summary>
/// The live clock around <see cref="RebalancePipeline"/>: each run is the next bar. It reads the venue and the
/// holdings, keeps the rolling history of snapshots and reference prices and the pending plan in a
/// <see cref="PipelineState"/> saved at <c>statePath</c>, estimates risk from that history with the backtest's
/// <see cref="RiskEstimator"/>, and runs the same step as the backtester: due slices re-quoted and re-guarded, then a
/// guarded decision and its first swaps. Nothing else differs from a backtest but the venue.
/// </summary>
public sealed class LiveRebalancer
{
    private readonly RebalancePipeline _pipeline;
    private readonly Func<CancellationToken, Task<Holdings>> _holdings;
    private readonly IReferencePriceSource? _reference;
    private readonly IStateDocuments _documents;
    private readonly string _stateKey;
    private readonly LiveClockOptions _options;
    private readonly RiskEstimator _risk;

    /// <summary>Creates the live clock.</summary>
    /// <param name="pipeline">The composition (its venue is where swaps go).</param>
    /// <param name="holdings">Reads what the portfolio holds now (a vault's balances).</param>
    /// <param name="reference">The pipeline's reference-price source, read here to seed the risk model's price history; null when the venue's prices are the reference.</param>
    /// <param name="statePath">Where the state is saved (beside the keeper's journal).</param>
    /// <param name="options">History lengths.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public LiveRebalancer(RebalancePipeline pipeline, Func<CancellationToken, Task<Holdings>> holdings, IReferencePriceSource? reference, string statePath, LiveClockOptions? options = null)
        : this(pipeline, holdings, reference, new FileStateDocuments(Path.GetDirectoryName(Path.GetFullPath(statePath ?? throw new ArgumentNullException(nameof(statePath))))!), Path.GetFileName(statePath), options)
    {
    }

    /// <summary>Creates the live clock with its state kept as <paramref name="stateKey"/> in <paramref name="documents"/> (a shared database, for a cluster).</summary>
    /// <param name="pipeline">The composition (its venue is where swaps go).</param>
    /// <param name="holdings">Reads what the portfolio holds now (a vault's balances).</param>
    /// <param name="reference">The pipeline's reference-price source; null when the venue's prices are the reference.</param>
    /// <param name="documents">Where the state is kept.</param>
    /// <param name="stateKey">The state's document name.</param>
    /// <param name="options">History lengths.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public LiveRebalancer(RebalancePipeline pipeline, Func<CancellationToken, Task<Holdings>> holdings, IReferencePriceSource? reference, IStateDocuments documents, string stateKey, LiveClockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(holdings);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateKey);
        _pipeline = pipeline;
        _holdings = holdings;
        _reference = reference;
        _documents = documents;
        _stateKey = stateKey;
        _options = options ?? new LiveClockOptions();
        OptionsValidation.ThrowIfInvalid(_options);
        _risk = new RiskEstimator(_options.RiskWindowBars);
    }

    /// <summary>The saved state (a fresh one before the first run).</summary>
    public PipelineState LoadState() => PipelineState.Load(_documents, _stateKey);

    /// <summary>Records the venue now into the history without deciding (a keeper warming up its guards' window).</summary>
    public async Task<VenueSnapshot> ObserveAsync(CancellationToken cancellationToken = default)
    {
        var state = LoadState();
        var market = await _pipeline.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        state.Record(market, _options.GuardHistoryBars, _options.RiskWindowBars + 1);
        Save(state);
        return market;
    }

    /// <summary>
    /// One bar towards <paramref name="targets"/> over <paramref name="assets"/> (missing symbols are 0): due slices of
    /// the pending plan (each re-guarded on the current market), then the guarded decision and its first swaps.
    /// </summary>
    /// <exception cref="ArgumentException">A target names a symbol outside <paramref name="assets"/>.</exception>
    /// <exception cref="InvalidOperationException">The policy needs a risk model and there is not enough reference-price history yet.</exception>
    public async Task<LiveStep> RunAsync(IReadOnlyList<string> assets, IReadOnlyDictionary<string, double> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(targets);
        var unknown = targets.Keys.Where(k => !assets.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Target weights name unknown symbol(s) {string.Join(", ", unknown)}; the portfolio holds {string.Join(", ", assets)}.", nameof(targets));
        }

        var state = LoadState();
        var market = await _pipeline.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var keepPrices = _options.RiskWindowBars + 1;
        if (_reference is not null && state.Prices.Count < keepPrices)
        {
            // Before the keeper has seen a window of bars, the source's own past fills it in.
            var seeded = new PipelineState();
            foreach (var row in await _reference.GetHistoryAsync(market.Time, keepPrices, cancellationToken).ConfigureAwait(false))
            {
                seeded.AddPrices(row, keepPrices);
            }

            foreach (var row in state.Prices.Where(r => seeded.Prices.Count == 0 || r.Time > seeded.Prices[^1].Time))
            {
                seeded.AddPrices(row, keepPrices);
            }

            state.Prices.Clear();
            state.Prices.AddRange(seeded.Prices);
        }

        var history = state.Snapshots(_options.GuardHistoryBars);
        state.Record(market, _options.GuardHistoryBars, keepPrices);
        var risk = state.Risk(_risk, assets, market.QuoteAsset);
        if (risk is null && _pipeline.Options.Policy.NeedsRisk)
        {
            throw new InvalidOperationException($"Policy {_pipeline.Options.Policy.Name} needs a risk model from {keepPrices} bars of reference prices; {state.Prices.Count} are known so far{(_reference is null ? "" : $" ({_reference.Name})")}. Use another policy until the history is long enough.");
        }

        var bar = state.NextBar;
        var target = assets.Select(a => targets.GetValueOrDefault(a)).ToArray();
        var holdings = await _holdings(cancellationToken).ConfigureAwait(false);
        var input = new RebalanceStepInput
        {
            Bar = bar,
            Holdings = holdings,
            Market = market,
            History = history,
            Targets = (due, _) => Task.FromResult(new StepTargets(due.Holdings, assets, target, risk)),
        };
        var step = await _pipeline.StepAsync(input, state, cancellationToken).ConfigureAwait(false);
        state.NextBar = bar + 1;
        Save(state);
        return new LiveStep(bar, market, holdings, step);
    }

    private void Save(PipelineState state)
    {
        if (!_options.ReadOnly)
        {
            state.Save(_documents, _stateKey);
        }
    }
}

/// <summary>One live run.</summary>
/// <param name="Bar">The bar index it decided.</param>
/// <param name="Market">The venue it saw (reference prices from the seam).</param>
/// <param name="HoldingsBefore">What was held before.</param>
/// <param name="Step">What the composition did.</param>
public sealed record LiveStep(int Bar, VenueSnapshot Market, Holdings HoldingsBefore, RebalanceStep Step);
