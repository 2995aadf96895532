using System.Text.Json.Serialization;
using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;

namespace Predictive.Research.Comparison;

/// <summary>One row of the leaderboard: an allocator × policy run with its metrics and statistics (stable JSON names).</summary>
public sealed record StrategyScore
{
    /// <summary>The allocator's name.</summary>
    [JsonPropertyName("allocator")]
    public required string Allocator { get; init; }

    /// <summary>The policy's name.</summary>
    [JsonPropertyName("policy")]
    public required string Policy { get; init; }

    /// <summary>Annualized Sharpe ratio.</summary>
    [JsonPropertyName("sharpe")]
    public required double Sharpe { get; init; }

    /// <summary>Lower end of the stationary-bootstrap confidence interval of the annualized Sharpe ratio.</summary>
    [JsonPropertyName("sharpe_ci_low")]
    public required double SharpeCiLow { get; init; }

    /// <summary>Upper end of that interval.</summary>
    [JsonPropertyName("sharpe_ci_high")]
    public required double SharpeCiHigh { get; init; }

    /// <summary>The deflated Sharpe ratio across the compared set (a probability).</summary>
    [JsonPropertyName("deflated_sharpe")]
    public required double DeflatedSharpe { get; init; }

    /// <summary>Annualized Sortino ratio.</summary>
    [JsonPropertyName("sortino")]
    public required double Sortino { get; init; }

    /// <summary>Compound annual growth rate.</summary>
    [JsonPropertyName("cagr")]
    public required double Cagr { get; init; }

    /// <summary>Annualized volatility.</summary>
    [JsonPropertyName("volatility")]
    public required double Volatility { get; init; }

    /// <summary>Largest drawdown (positive fraction).</summary>
    [JsonPropertyName("max_drawdown")]
    public required double MaxDrawdown { get; init; }

    /// <summary>CAGR / max drawdown.</summary>
    [JsonPropertyName("calmar")]
    public required double Calmar { get; init; }

    /// <summary>Annualized one-way turnover.</summary>
    [JsonPropertyName("turnover")]
    public required double Turnover { get; init; }

    /// <summary>Total costs (gas + fee + impact), quote units.</summary>
    [JsonPropertyName("costs")]
    public required double Costs { get; init; }

    /// <summary>Gas paid, quote units.</summary>
    [JsonPropertyName("costs_gas")]
    public required double CostsGas { get; init; }

    /// <summary>Pool fees paid, quote units.</summary>
    [JsonPropertyName("costs_fee")]
    public required double CostsFee { get; init; }

    /// <summary>Price impact paid, quote units.</summary>
    [JsonPropertyName("costs_impact")]
    public required double CostsImpact { get; init; }

    /// <summary>Annualized tracking error against the frictionless target.</summary>
    [JsonPropertyName("tracking_error")]
    public required double TrackingError { get; init; }

    /// <summary>Swaps executed.</summary>
    [JsonPropertyName("trades")]
    public required int Trades { get; init; }

    /// <summary>Bars with a trade.</summary>
    [JsonPropertyName("rebalances")]
    public required int Rebalances { get; init; }

    /// <summary>Final portfolio value, quote units.</summary>
    [JsonPropertyName("final_equity")]
    public required double FinalEquity { get; init; }

    /// <summary>
    /// What the rule for assets that stop trading did in this run (docs/backtesting.md): listings, lost and returned
    /// prices, holdings sold once they traded again, write-offs, each with the full reason of that bar's decision.
    /// </summary>
    [JsonPropertyName("asset_events")]
    public IReadOnlyList<AssetEventRow> AssetEvents { get; init; } = [];

    /// <summary>Builds a row from metrics and the statistics computed across the set.</summary>
    public static StrategyScore From(string allocator, string policy, PerformanceMetrics m, (double Low, double High) ci, double deflated)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new StrategyScore
        {
            Allocator = allocator,
            Policy = policy,
            Sharpe = m.Sharpe,
            SharpeCiLow = ci.Low,
            SharpeCiHigh = ci.High,
            DeflatedSharpe = deflated,
            Sortino = m.Sortino,
            Cagr = m.Cagr,
            Volatility = m.Volatility,
            MaxDrawdown = m.MaxDrawdown,
            Calmar = m.Calmar,
            Turnover = m.Turnover,
            Costs = m.CostsQuote,
            CostsGas = m.GasQuote,
            CostsFee = m.FeeQuote,
            CostsImpact = m.ImpactQuote,
            TrackingError = m.TrackingError,
            Trades = m.Trades,
            Rebalances = m.Rebalances,
            FinalEquity = m.FinalEquity,
        };
    }
}

/// <summary>One <see cref="AssetEvent"/> of a run, as written to <c>results.json</c>.</summary>
/// <param name="Bar">The bar counted from the backtest's start.</param>
/// <param name="Time">The bar's close.</param>
/// <param name="Asset">The asset.</param>
/// <param name="Kind">listed, unpriced, repriced, stranded-sold, written-off or quote-carried.</param>
/// <param name="Quantity">Tokens held then.</param>
/// <param name="Price">The price used (the last price when unpriced), quote units.</param>
/// <param name="Value">Quantity × price, quote units.</param>
/// <param name="Reason">The full explanation of that bar's decision, including the rule's notes.</param>
public sealed record AssetEventRow(
    [property: JsonPropertyName("bar")] int Bar,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("asset")] string Asset,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("quantity")] double Quantity,
    [property: JsonPropertyName("price")] double Price,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("reason")] string Reason)
{
    /// <summary>The rows of a finished backtest.</summary>
    public static IReadOnlyList<AssetEventRow> Of(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.AssetEvents.Select(e => new AssetEventRow(e.Bar, e.Time, e.Asset, KindName(e.Kind), e.Quantity, e.PriceQuote, e.ValueQuote, result.Explain(e.Bar))).ToArray();
    }

    private static string KindName(AssetEventKind kind) => kind switch
    {
        AssetEventKind.Listed => "listed",
        AssetEventKind.Unpriced => "unpriced",
        AssetEventKind.Repriced => "repriced",
        AssetEventKind.StrandedSold => "stranded-sold",
        AssetEventKind.WrittenOff => "written-off",
        AssetEventKind.QuoteCarried => "quote-carried",
        _ => kind.ToString(),
    };
}
