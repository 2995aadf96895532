using Predictive.Core.Backtesting;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Training.Evaluation;

/// <summary>
/// How training judges a policy: the world <c>predictive compare</c> trades in. Every sample range is replayed by Core's
/// <see cref="Backtester"/> with the full cost model (pool fee, exact constant-product impact, gas per swap), the
/// planner's limits, and a rebalancing policy (the cost-aware band by default), starting from cash.
/// </summary>
public sealed record EvaluationOptions
{
    /// <summary>The defaults.</summary>
    public static EvaluationOptions Default { get; } = new();

    /// <summary>The rebalancing policy between the model's targets and the trades. The default value is the cost-aware band (<c>cost-band</c>).</summary>
    public PolicySpec Policy { get; init; } = PolicySpec.CostAware();

    /// <summary>
    /// The cash asset the portfolio starts in and trades against. It must not be one of the dataset's assets: every
    /// dataset asset (stablecoins included) is a token the model can hold, bought through its own pool. The default value is USD.
    /// </summary>
    public string QuoteAsset { get; init; } = "USD";

    /// <summary>The starting cash of each backtested range, quote units. The default value is 100,000 (as <c>compare --initial</c>).</summary>
    public decimal InitialValueQuote { get; init; } = 100_000m;

    /// <summary>Fee, gas units and slippage. The default value is <see cref="SwapCostOptions.Default"/>.</summary>
    public SwapCostOptions Costs { get; init; } = SwapCostOptions.Default;

    /// <summary>The quote reserve of every simulated pool. The default value is 50,000,000 (as <see cref="SimulatedVenueOptions.FixedDepthQuote"/>).</summary>
    public decimal PoolDepthQuote { get; init; } = new SimulatedVenueOptions().FixedDepthQuote;

    /// <summary>The planner's limits. The default value is <see cref="TradePlannerOptions"/>'s defaults.</summary>
    public TradePlannerOptions Planner { get; init; } = new();

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range or missing.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Policy);
        ArgumentNullException.ThrowIfNull(Costs);
        ArgumentNullException.ThrowIfNull(Planner);
        ArgumentException.ThrowIfNullOrWhiteSpace(QuoteAsset);
        _ = Venue();
        new BacktestOptions { InitialValueQuote = InitialValueQuote, StartBar = 0 }.Validate();
    }

    /// <summary>The simulated venue's options.</summary>
    internal SimulatedVenueOptions Venue()
    {
        var venue = new SimulatedVenueOptions { QuoteAsset = QuoteAsset, FixedDepthQuote = PoolDepthQuote };
        venue.Validate();
        return venue;
    }
}
