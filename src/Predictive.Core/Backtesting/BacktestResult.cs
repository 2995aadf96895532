using Predictive.Core.Rebalancing;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// One bar's decision. Bars the policy screen settled carry the reason and drift only (their sentence is made on demand
/// by <see cref="BacktestResult.Explain"/>); bars the policy ran on point at the full <see cref="RebalanceDecision"/>.
/// </summary>
/// <param name="Bar">The bar counted from the backtest's start.</param>
/// <param name="Trade">Whether a trade was placed.</param>
/// <param name="Reason">Why.</param>
/// <param name="L1">Σ|w − w*| before the decision.</param>
/// <param name="MaxAbs">max|w − w*| before the decision.</param>
/// <param name="TrackingError">Ex-ante √(dᵀΣd) per bar; NaN without a risk model.</param>
/// <param name="Detail">Index into <see cref="BacktestResult.Details"/>, or -1 when the screen settled the bar.</param>
public readonly record struct BacktestDecision(int Bar, bool Trade, DecisionReason Reason, double L1, double MaxAbs, double TrackingError, int Detail);

/// <summary>One executed swap with its cost parts.</summary>
/// <param name="Bar">The bar counted from the backtest's start.</param>
/// <param name="Time">When it executed.</param>
/// <param name="AssetIn">Token sold.</param>
/// <param name="AssetOut">Token bought.</param>
/// <param name="AmountIn">Tokens sold.</param>
/// <param name="AmountOut">Tokens bought.</param>
/// <param name="NotionalQuote">Input valued at the reference price.</param>
/// <param name="FeeQuote">Pool fee.</param>
/// <param name="ImpactQuote">Price impact.</param>
/// <param name="GasQuote">Gas.</param>
/// <param name="Status">Filled or reverted.</param>
public sealed record BacktestTrade(int Bar, DateTimeOffset Time, string AssetIn, string AssetOut, decimal AmountIn, decimal AmountOut, decimal NotionalQuote, decimal FeeQuote, decimal ImpactQuote, decimal GasQuote, FillStatus Status)
{
    /// <summary>Fee + impact + gas.</summary>
    public decimal TotalCostQuote => FeeQuote + ImpactQuote + GasQuote;
}

/// <summary>Everything one backtest produced: equity, weights and targets per bar, every trade and every decision.</summary>
public sealed class BacktestResult
{
    private readonly double[] _equity;
    private readonly Lazy<double[]> _weights;
    private readonly Lazy<double[]> _targets;
    private readonly Lazy<BacktestTrade[]> _trades;
    private readonly double[] _targetReturns;
    private readonly BacktestDecision[] _decisions;
    private readonly Lazy<bool>? _trackingErrorsFilled;
    private readonly PendingTrackingErrors? _pendingTrackingErrors;
    private readonly PolicyScreen _screen;
    private readonly HoldingsLog _holdings;
    private readonly UntradableLedger _ledger;

    internal BacktestResult(
        string allocator,
        string policy,
        IReadOnlyList<string> assets,
        DateTimeOffset[] times,
        double barsPerYear,
        double[] equity,
        ChangeLog targets,
        HoldingsLog holdings,
        BacktestMarket market,
        int startBar,
        double[] targetReturns,
        BacktestDecision[] decisions,
        IReadOnlyList<RebalanceDecision> details,
        TradeLog trades,
        PolicyScreen screen,
        IReadOnlyList<AssetEvent> events,
        int writeOffBars,
        decimal initialValueQuote,
        PendingTrackingErrors? pendingTrackingErrors = null)
    {
        InitialValueQuote = initialValueQuote;
        Allocator = allocator;
        Policy = policy;
        Assets = assets;
        Times = times;
        BarsPerYear = barsPerYear;
        _equity = equity;
        _weights = new(() => ExpandWeights(holdings, market, startBar));
        _targets = new(() => ExpandTargets(targets));
        _targetReturns = targetReturns;
        _decisions = decisions;
        _pendingTrackingErrors = pendingTrackingErrors;
        // Filled once, thread-safe; the fill only reads the panel and the result's own weights and targets.
        _trackingErrorsFilled = pendingTrackingErrors is null ? null : new(() =>
        {
            pendingTrackingErrors.Fill(decisions, this);
            return true;
        });
        Details = details;
        _trades = new(() => trades.Materialize(times));
        _screen = screen;
        _holdings = holdings;
        _ledger = new UntradableLedger(market, startBar, times, holdings, events, writeOffBars);
    }

    /// <summary>The starting cash, in quote units: the value before the first investment and its costs (<see cref="Equity"/> starts after them).</summary>
    public decimal InitialValueQuote { get; }

    /// <summary>The allocator's name.</summary>
    public string Allocator { get; }

    /// <summary>The policy's name.</summary>
    public string Policy { get; }

    /// <summary>The traded assets, in weight order.</summary>
    public IReadOnlyList<string> Assets { get; }

    /// <summary>The close time of each backtest bar.</summary>
    public IReadOnlyList<DateTimeOffset> Times { get; }

    /// <summary>Bars per year (for annualizing).</summary>
    public double BarsPerYear { get; }

    /// <summary>The number of bars.</summary>
    public int BarCount => _equity.Length;

    /// <summary>Portfolio value at each bar's close after that bar's trades (costs paid), in quote units.</summary>
    public ReadOnlySpan<double> Equity => _equity;

    /// <summary>The last equity value.</summary>
    public double FinalEquity => _equity[^1];

    /// <summary>Weights held at each bar's close after trading, row-major <c>[bar, asset]</c>.</summary>
    public ReadOnlySpan<double> Weights => _weights.Value;

    /// <summary>Weights of one bar.</summary>
    public ReadOnlySpan<double> WeightsAt(int bar) => _weights.Value.AsSpan(bar * Assets.Count, Assets.Count);

    /// <summary>The target in force at each bar, row-major <c>[bar, asset]</c>.</summary>
    public ReadOnlySpan<double> Targets => _targets.Value;

    /// <summary>
    /// The frictionless return of the target: entry t is Σ w*ₜ₋₁·(pₜ/pₜ₋₁ − 1) (entry 0 is 0); the benchmark of tracking error.
    /// </summary>
    public ReadOnlySpan<double> TargetReturns => _targetReturns;

    /// <summary>One decision per bar.</summary>
    public ReadOnlySpan<BacktestDecision> Decisions => FilledDecisions();

    /// <summary>The full decisions of the bars where the policy itself ran (with costs, benefits and guard results).</summary>
    public IReadOnlyList<RebalanceDecision> Details { get; }

    /// <summary>Every swap, in execution order (the records are made when first read).</summary>
    public IReadOnlyList<BacktestTrade> Trades => _trades.Value;

    /// <summary>
    /// What the rule for assets that stop trading did (docs/backtesting.md), in bar order: listings, losses and returns
    /// of prices, holdings sold once they traded again, write-offs, bars where the quote asset's close was carried.
    /// </summary>
    public IReadOnlyList<AssetEvent> AssetEvents => _ledger.Events;

    /// <summary>Token quantities held at <paramref name="bar"/>'s close after trading, one per asset of <see cref="Assets"/>, then the quote asset.</summary>
    public ReadOnlySpan<double> QuantitiesAt(int bar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bar);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bar, BarCount);
        return _holdings.Rows.RowAt(bar);
    }

    /// <summary>The number of bars on which a trade was placed.</summary>
    public int RebalanceCount => _decisions.Count(d => d.Trade);

    /// <summary>
    /// The sentence explaining the decision at <paramref name="bar"/>, followed by what the rule for assets that stop
    /// trading says about any asset involved (unpriced, not listed yet, held at its last price, sold, written off).
    /// </summary>
    public string Explain(int bar)
    {
        var d = FilledDecisions()[bar];
        var sentence = d.Detail >= 0 ? Details[d.Detail].Explanation : _screen.Explain(d);
        var notes = _ledger.Notes(bar);
        return notes.Length == 0 ? sentence : sentence + " " + notes;
    }

    /// <summary>How many decisions still wait for their tracking error (the cost-aware band's bars settled on a bound; 0 once read).</summary>
    internal int PendingTrackingErrorCount => _pendingTrackingErrors?.Count ?? 0;

    /// <summary>
    /// The decisions with every tracking error in place: bars the cost-aware band settled on a bound of it get theirs
    /// worked out here, once (<see cref="PendingTrackingErrors"/>).
    /// </summary>
    private BacktestDecision[] FilledDecisions()
    {
        _ = _trackingErrorsFilled?.Value;
        return _decisions;
    }

    /// <summary>Each bar's weights, from the holdings in force and that bar's prices (the backtester's own arithmetic).</summary>
    private double[] ExpandWeights(HoldingsLog holdings, BacktestMarket market, int startBar)
    {
        var n = Assets.Count;
        var dense = new double[BarCount * n];
        foreach (var (from, to, row) in holdings.Rows.Segments(BarCount))
        {
            for (var i = from; i < to; i++)
            {
                BarMath.Mark(row.AsSpan(0, n), market.MarkPrices(startBar + i), row[n], dense.AsSpan(i * n, n));
            }
        }

        return dense;
    }

    private double[] ExpandTargets(ChangeLog targets)
    {
        var n = Assets.Count;
        var dense = new double[BarCount * n];
        foreach (var (from, to, row) in targets.Segments(BarCount))
        {
            for (var i = from; i < to; i++)
            {
                row.CopyTo(dense, i * n);
            }
        }

        return dense;
    }
}
