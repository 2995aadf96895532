using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Live;

/// <summary>
/// A seeded two-asset daily market path for replaying one composition on both clocks: a random walk with a BTC crash
/// (the volatility breaker), then a volume drought that thins the volume-sized pools (the liquidity guard) and leaves
/// them thin enough that a rebalance needs TWAP slices over several bars.
/// </summary>
internal static class ReplayMarket
{
    public const int Bars = 150;
    public const int StartBar = 95;
    public const int CrashBar = 104;
    public const int DroughtBar = 110;
    public static readonly string[] Assets = ["BTC", "ETH"];

    public static PricePanel Panel(int seed = 13)
    {
        var random = new Random(seed);
        var closes = new double[2][];
        var volumes = new double[2][];
        double[] start = [40_000, 2_500];
        for (var a = 0; a < 2; a++)
        {
            closes[a] = new double[Bars];
            volumes[a] = new double[Bars];
            var p = start[a];
            for (var t = 0; t < Bars; t++)
            {
                var shock = (random.NextDouble() - 0.5) * 0.06;
                p *= Math.Exp(shock + (a == 0 && t == CrashBar ? -0.45 : 0));
                closes[a][t] = p;
                volumes[a][t] = t < DroughtBar ? 2e9 : 6e7;
            }
        }

        return Some.Panel(Assets, closes, volumes);
    }

    public static SimulatedVenueOptions VenueOptions { get; } = new()
    {
        QuoteAsset = Some.Quote,
        DepthMode = PoolDepthMode.FromVolume,
        DepthVolumeMultiple = 0.01,
        VolumeWindowBars = 3,
    };

    public static TradePlannerOptions Planner { get; } = new() { MaxPriceImpactBps = 50 };

    /// <summary>A year's horizon: tracking error is worth correcting on this small portfolio.</summary>
    public static TrackingErrorBenefit Benefit { get; } = new() { HorizonBars = 365 };

    public static IReadOnlyList<ITradeGuard> Guards() =>
        [new LiquidityGuard(new LiquidityGuardOptions { MinLiquidityQuote = 100_000m }), new PriceDeviationGuard(), new VolatilityCircuitBreaker()];

    public static BacktestMarket Market(PricePanel panel) => new(panel, Assets, VenueOptions, planner: Planner);

    public static RebalancePipelineOptions PipelineOptions(BacktestMarket market, PolicySpec policy) => new()
    {
        Policy = policy,
        Guards = Guards(),
        Costs = market.CostModel.Options,
        Planner = market.PlannerOptions,
        Benefit = Benefit,
    };
}
