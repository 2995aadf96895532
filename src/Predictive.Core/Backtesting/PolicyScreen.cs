using System.Globalization;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Policies;

namespace Predictive.Core.Backtesting;

/// <summary>Which cheap test a <see cref="PolicyScreen"/> runs.</summary>
public enum ScreenKind
{
    /// <summary>Never settles a bar: the policy always runs.</summary>
    Always = 0,

    /// <summary>Settles bars that are not rebalancing dates.</summary>
    Calendar = 1,

    /// <summary>Settles bars whose drift is inside the band.</summary>
    Band = 2,

    /// <summary>Settles bars whose largest possible benefit is below one swap's gas.</summary>
    CostAware = 3,
}

/// <summary>
/// A necessary condition for a policy to trade, checked on doubles with no allocation. When it fails the bar is settled
/// as "no trade" with the same reason the policy would give, and nothing is planned; when it holds the real policy
/// runs. The screen only ever skips bars on which the policy could not trade, so it changes speed, not results.
/// For the calendar, band and full policies the test is also sufficient (<see cref="TradeReason"/>): a bar it does not
/// settle is one on which the policy trades to the target, so the backtester may skip the policy there too.
/// </summary>
public sealed class PolicyScreen
{
    private PolicyScreen(ScreenKind kind, int everyBars, double band, BandNorm norm, decimal minNet, DecisionReason? tradeReason, int gridSteps = 0)
    {
        GridSteps = gridSteps;
        Kind = kind;
        EveryBars = everyBars;
        Band = band;
        Norm = norm;
        MinNetBenefitQuote = minNet;
        MinNetBenefit = (double)minNet;
        TradeReason = tradeReason;
    }

    /// <summary>The screen that settles nothing.</summary>
    public static PolicyScreen Always { get; } = new(ScreenKind.Always, 0, 0, BandNorm.PerAsset, 0, null);

    /// <summary>The test.</summary>
    public ScreenKind Kind { get; }

    /// <summary>Calendar period in bars.</summary>
    public int EveryBars { get; }

    /// <summary>Band half-width.</summary>
    public double Band { get; }

    /// <summary>Band norm.</summary>
    public BandNorm Norm { get; }

    /// <summary>The cost-aware policy's grid of candidates (0 for other policies).</summary>
    public int GridSteps { get; }

    /// <summary>The cost-aware policy's minimum net benefit.</summary>
    public decimal MinNetBenefitQuote { get; }

    /// <summary><see cref="MinNetBenefitQuote"/> in double, converted once (the hot loop compares against it on every bar).</summary>
    internal double MinNetBenefit { get; }

    /// <summary>
    /// The reason the policy gives on every bar this screen does not settle, when the policy then always trades to the
    /// target (calendar, band, full); null when the policy must run to decide (cost-aware, or a screen switched off).
    /// </summary>
    public DecisionReason? TradeReason { get; }

    internal static PolicyScreen ForCalendar(int everyBars) => new(ScreenKind.Calendar, everyBars, 0, BandNorm.PerAsset, 0, DecisionReason.Scheduled);

    internal static PolicyScreen ForBand(double band, BandNorm norm) => new(ScreenKind.Band, 0, band, norm, 0, DecisionReason.OutsideBand);

    internal static PolicyScreen ForCostAware(decimal minNet, int gridSteps) => new(ScreenKind.CostAware, 0, 0, BandNorm.PerAsset, minNet, null, gridSteps);

    internal static PolicyScreen ForFull() => new(ScreenKind.Always, 0, 0, BandNorm.PerAsset, 0, DecisionReason.Unconditional);

    /// <summary>
    /// Returns the reason a bar certainly does not trade, or null when the policy must run.
    /// </summary>
    /// <param name="bar">The bar counted from the backtest's start (as the policy sees it).</param>
    /// <param name="l1">Σ|w − w*|.</param>
    /// <param name="maxAbs">max|w − w*|.</param>
    /// <param name="maxBenefitQuote">(λ/2)·TE²·H·V, the largest benefit any move can have (cost-aware only).</param>
    /// <param name="gasPerSwapQuote">The gas of one swap now: every trade costs at least this.</param>
    public DecisionReason? Settle(int bar, double l1, double maxAbs, double maxBenefitQuote, double gasPerSwapQuote)
    {
        if (l1 <= PolicyMath.OnTargetL1)
        {
            return DecisionReason.AlreadyOnTarget;
        }

        return Kind switch
        {
            ScreenKind.Calendar when bar % EveryBars != 0 => DecisionReason.NotScheduled,
            ScreenKind.Band when (Norm == BandNorm.L1 ? l1 : maxAbs) <= Band => DecisionReason.WithinBand,
            // Benefit(α) = K(1 − α²) ≤ K and any trade pays at least one swap's gas.
            ScreenKind.CostAware when maxBenefitQuote - gasPerSwapQuote <= MinNetBenefit => DecisionReason.CostExceedsBenefit,
            _ => null,
        };
    }

    /// <summary>The sentence for a bar this screen settled (or, with <see cref="TradeReason"/>, decided to trade).</summary>
    public string Explain(BacktestDecision d) => d.Reason switch
    {
        DecisionReason.AlreadyOnTarget => Say($"already on target (L1 drift {d.L1:E1})."),
        DecisionReason.NotScheduled => Say($"bar {d.Bar} is not a rebalancing date (every {EveryBars}); L1 drift {d.L1:P2}."),
        DecisionReason.Scheduled => Say($"bar {d.Bar} is a rebalancing date (every {EveryBars}); L1 drift {d.L1:P2}."),
        DecisionReason.WithinBand => Say($"{(Norm == BandNorm.L1 ? "L1 drift" : "largest drift")} {(Norm == BandNorm.L1 ? d.L1 : d.MaxAbs):P2} is inside the band {Band:P2}."),
        DecisionReason.OutsideBand => Say($"{(Norm == BandNorm.L1 ? "L1 drift" : "largest drift")} {(Norm == BandNorm.L1 ? d.L1 : d.MaxAbs):P2} is outside the band {Band:P2}: trade to the target."),
        DecisionReason.Unconditional when d.Bar == 0 => Say($"initial investment of the starting cash in the first target: full rebalance: L1 drift {d.L1:P2}."),
        DecisionReason.Unconditional => Say($"full rebalance: L1 drift {d.L1:P2}."),
        DecisionReason.CostExceedsBenefit => Say($"tracking error {d.TrackingError:P3} per bar; no move towards the target gains more than it costs (fees, impact, gas per swap)."),
        DecisionReason.BenefitExceedsCost => Say($"tracking error {d.TrackingError:P3} per bar; the best point of the cost-aware band gains more than it costs: traded there."),
        _ => d.Reason.ToString(),
    };

    private static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
