using Microsoft.Extensions.Time.Testing;
using Predictive.Core.Allocation;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests;

/// <summary>Test data builders: small, explicit and seeded.</summary>
internal static class Some
{
    public const string Quote = "USDC";

    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static GasQuote Gas(double gwei = 30, double native = 2_000) => new(gwei, native, "test", "test");

    /// <summary>A snapshot with one asset/quote pool per asset, each holding <paramref name="depthQuote"/> of quote at the reference price.</summary>
    public static VenueSnapshot Snapshot(string[] assets, double[] prices, decimal depthQuote, GasQuote? gas = null, int feeBps = 30, DateTimeOffset? time = null, IEnumerable<PoolState>? extraPools = null)
    {
        var pools = new List<PoolState>();
        var refs = new Dictionary<string, double>();
        for (var i = 0; i < assets.Length; i++)
        {
            if (assets[i] == Quote)
            {
                continue;
            }

            refs[assets[i]] = prices[i];
            pools.Add(new PoolState(assets[i] + "/" + Quote, assets[i], Quote, depthQuote / (decimal)prices[i], depthQuote, feeBps));
        }

        pools.AddRange(extraPools ?? []);
        return new VenueSnapshot(time ?? Start, Quote, pools, refs, gas ?? Gas());
    }

    /// <summary>A daily panel whose closes are <paramref name="closes"/>[asset][bar].</summary>
    public static PricePanel Panel(string[] assets, double[][] closes, double[][]? volumes = null)
    {
        var bars = closes[0].Length;
        var stamps = Enumerable.Range(0, bars).Select(b => Start.AddDays(b)).ToArray();
        return new PricePanel(stamps, assets, BarInterval.Daily, closes, volume: volumes);
    }

    /// <summary>A daily panel with constant prices.</summary>
    public static PricePanel ConstantPanel(string[] assets, double[] prices, int bars = 64) =>
        Panel(assets, prices.Select(p => Enumerable.Repeat(p, bars).ToArray()).ToArray());

    /// <summary>A clock standing at the close of <paramref name="bar"/> of a daily panel starting at <see cref="Start"/>.</summary>
    public static FakeTimeProvider ClockAtCloseOf(int bar) => new(Start.AddDays(bar + 1));

    public static SimulatedVenue Venue(PricePanel panel, FakeTimeProvider clock, SwapCostOptions? costs = null, SimulatedVenueOptions? options = null)
    {
        var c = costs ?? SwapCostOptions.Default;
        return new SimulatedVenue(panel, options ?? new SimulatedVenueOptions { QuoteAsset = Quote }, new SwapCostModel(c), GasMarket.Constant(c), clock);
    }

    public static RiskEstimate DiagonalRisk(params double[] vols)
    {
        var n = vols.Length;
        var cov = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            cov[(i * n) + i] = vols[i] * vols[i];
        }

        return new RiskEstimate(cov, new double[n]);
    }

    public static RebalanceContext Context(VenueSnapshot market, string[] assets, double[] current, double[] target, decimal value = 1_000_000m, RiskEstimate? risk = null, int bar = 0, IReadOnlyList<VenueSnapshot>? history = null) => new()
    {
        Bar = bar,
        Assets = assets,
        CurrentWeights = current,
        TargetWeights = target,
        PortfolioValueQuote = value,
        Market = market,
        Risk = risk,
        History = history ?? [],
    };

    public static RebalanceEconomics Economics(SwapCostOptions? costs = null, TradePlannerOptions? planner = null, TrackingErrorBenefit? benefit = null) =>
        new(new TradePlanner(new SwapCostModel(costs), planner), benefit);
}
