using System.ComponentModel.DataAnnotations;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Pipeline = Predictive.Core.Rebalancing.Pipeline;

namespace Predictive.Core.Backtesting;

/// <summary>Parameters of one <see cref="Backtester"/> run.</summary>
public sealed record BacktestOptions
{
    /// <summary>The defaults.</summary>
    public static BacktestOptions Default { get; } = new();

    /// <summary>The portfolio's starting value, held as the quote asset and invested at the first bar. The default value is 100,000.</summary>
    [Range(typeof(decimal), "1", "1000000000000", ErrorMessage = "InitialValueQuote must be in [1, 1e12] quote units.")]
    public decimal InitialValueQuote { get; init; } = 100_000m;

    /// <summary>The first bar of the backtest (bars before it are warm-up for features and risk). The default value is 90.</summary>
    [Range(0, int.MaxValue, ErrorMessage = "StartBar must be ≥ 0.")]
    public int StartBar { get; init; } = 90;

    /// <summary>The last bar (exclusive); null runs to the end of the panel. The default value is null.</summary>
    public int? EndBar { get; init; }

    /// <summary>
    /// The allocator is asked for new targets every k bars (targets hold in between). The default value is 1.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "AllocateEveryBars must be in [1, 1000000].")]
    public int AllocateEveryBars { get; init; } = 1;

    /// <summary>
    /// Bars between re-estimates of the policy's risk model (only policies that value tracking error need one).
    /// The default value is 1.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "RiskEveryBars must be in [1, 1000000].")]
    public int RiskEveryBars { get; init; } = 1;

    /// <summary>Returns per risk estimate (Ledoit-Wolf covariance). The default value is 90.</summary>
    [Range(2, 100_000, ErrorMessage = "RiskWindowBars must be in [2, 100000].")]
    public int RiskWindowBars { get; init; } = 90;

    /// <summary>
    /// A held asset that has had no price (or no pool) for this many consecutive bars is written off at the close of the
    /// last of them: its quantity goes to 0 and its value, until then its last price, is lost. It counts from the first
    /// bar without a price, after the data's forward fill (5 bars by default) has run out. The default value is 20.
    /// See docs/backtesting.md, "Assets that stop trading".
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "WriteOffBars must be in [1, 1000000].")]
    public int WriteOffBars { get; init; } = 20;

    /// <summary>Estimate risk for every policy (decisions then report ex-ante tracking error), not only those that need it. The default value is false.</summary>
    public bool AlwaysEstimateRisk { get; init; }

    /// <summary>Guards wrapped around the policy (each decision lists their results). The default value is none.</summary>
    public IReadOnlyList<ITradeGuard> Guards { get; init; } = [];

    /// <summary>
    /// Where the guards' and the planner's reference prices come from, when not the market's own closes (a path whose
    /// pools stray from an oracle); it turns the fast path off, and the screen still reads the closes (use an unscreened
    /// policy to decide every bar on these prices). The default value is null: the simulated venue's prices, the data's closes.
    /// </summary>
    public Pipeline.IReferencePriceSource? Reference { get; init; }

    /// <summary>Earlier venue snapshots handed to guards. The default value is 8 bars (the longest default guard window).</summary>
    [Range(0, 10_000, ErrorMessage = "GuardHistoryBars must be in [0, 10000].")]
    public int GuardHistoryBars { get; init; } = 8;

    /// <summary>The benefit model of tracking-error reductions (the cost-aware policy's trade-off). The default value is <see cref="TrackingErrorBenefit.Default"/>.</summary>
    public TrackingErrorBenefit Benefit { get; init; } = TrackingErrorBenefit.Default;

    /// <summary>
    /// Run every trade through the <c>decimal</c> trade planner, plan executor and simulated venue. By default a move to
    /// the target that fits in one bar (no guards, quote pools of fixed depth, no TWAP slicing) is carried out by the
    /// same steps in <c>double</c>, which agrees with the exact path to rounding and is much faster; the exact path
    /// still runs for everything else. The default value is false.
    /// </summary>
    public bool ExactArithmetic { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        OptionsValidation.ThrowIfInvalid(this);
        ArgumentNullException.ThrowIfNull(Guards);
        ArgumentNullException.ThrowIfNull(Benefit);
        Benefit.Validate();
        if (EndBar is { } end && end <= StartBar)
        {
            throw new ArgumentException($"EndBar {end} must be after StartBar {StartBar}.", nameof(EndBar));
        }
    }
}
