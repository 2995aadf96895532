using Predictive.Tests.Shared;
using Microsoft.Extensions.Time.Testing;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Guards;
using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Rebalancing.Policies;
using Predictive.Core.Venues;

namespace Predictive.Rebalancing.Tests.Pipeline;

/// <summary>
/// Policy → planner → venue per bar on real data (ETH/BTC daily, Q1 2021, real daily gas prices): the loop a
/// backtester runs. It checks that the stages fit together and that the cost-aware band trades less and pays less
/// than a daily full rebalance.
/// </summary>
[TestClass]
public sealed class PipelineTests
{
    private static readonly string[] Assets = ["ETH", "BTC"];

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RunBars_RealData_CostAwareTradesLessAndPaysLessThanFullRebalance()
    {
        var gas = Prerequisites.SharedData("eth-gas-daily.csv");
        var all = (await MarketDataFile.ReadAsync(Prerequisites.SharedData("crypto-daily.csv"))).SelectAssets(Assets);
        var first = all.BarAtOrBefore(new DateTimeOffset(2020, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var panel = all.Slice(first, 121);

        var full = await RunAsync(panel, gas, e => new FullRebalancePolicy(e));
        var aware = await RunAsync(panel, gas, e => new CostAwareBandPolicy(e));

        TestContext.WriteLine($"full: {full.Fills} fills, cost {full.CostQuote:F2}; cost-aware: {aware.Fills} fills, cost {aware.CostQuote:F2}; cost-aware trades on {aware.Decisions.Count(d => d.Trade)} of {aware.Decisions.Count} bars");
        Assert.IsGreaterThan(0, aware.Fills);
        Assert.IsLessThan(full.Fills / 4, aware.Fills, $"cost-aware {aware.Fills} fills vs full {full.Fills}");
        Assert.IsLessThan(full.CostQuote, aware.CostQuote);
        Assert.IsTrue(full.Decisions.All(d => d.Trade || d.Reason is DecisionReason.AlreadyOnTarget or DecisionReason.GuardFired));
        Assert.IsTrue(aware.Decisions.All(d => d.Explanation.Length > 0 && !double.IsNaN(d.Drift.TrackingError)));
    }

    private static async Task<Run> RunAsync(PricePanel panel, string gasFile, Func<RebalanceEconomics, IRebalancingPolicy> create)
    {
        const int Warmup = 30;
        var costOptions = SwapCostOptions.Default;
        var costs = new SwapCostModel(costOptions);
        var gas = await GasMarket.FromFileAsync(gasFile, costOptions, panel);
        var clock = new FakeTimeProvider(panel.Timestamps[Warmup] + panel.Interval.Length);
        var venue = new SimulatedVenue(panel, new SimulatedVenueOptions { DepthMode = PoolDepthMode.FromVolume }, costs, gas, clock);
        var planner = new TradePlanner(costs);
        var executor = new PlanExecutor(venue, costs, planner.Options);
        var policy = new GuardedPolicy(create(new RebalanceEconomics(planner)), [new LiquidityGuard(), new PriceDeviationGuard(), new VolatilityCircuitBreaker()]);
        var risk = new RiskEstimator(window: Warmup);
        var target = new[] { 0.5, 0.5 };

        var start = await venue.GetSnapshotAsync();
        var holdings = Holdings.FromWeights(Assets, [0.9, 0.1], 100_000m, start);
        var history = new List<VenueSnapshot>();
        var decisions = new List<RebalanceDecision>();
        (TradePlan Plan, int Bar)? pending = null;
        for (var bar = Warmup; bar < panel.BarCount; bar++)
        {
            clock.SetUtcNow(panel.Timestamps[bar] + panel.Interval.Length);
            var market = await venue.GetSnapshotAsync();
            if (pending is { } p && bar - p.Bar < p.Plan.BarCount)
            {
                holdings = (await executor.ExecuteAsync(p.Plan, bar - p.Bar, holdings)).Holdings;
            }

            var decision = policy.Decide(new RebalanceContext
            {
                Bar = bar,
                Assets = Assets,
                CurrentWeights = holdings.Weights(Assets, market),
                TargetWeights = target,
                PortfolioValueQuote = holdings.ValueQuote(market),
                Market = market,
                Risk = risk.Estimate(panel, bar),
                History = [.. history],
            });
            decisions.Add(decision);
            if (decision.Trade)
            {
                // A new decision supersedes slices still pending from an older plan.
                var plan = planner.Plan(market, holdings, Assets, decision.NewWeights);
                pending = (plan, bar);
                holdings = (await executor.ExecuteAsync(plan, 0, holdings)).Holdings;
            }

            history.Add(market);
        }

        return new Run(decisions, venue.Fills.Count, venue.Fills.Sum(f => f.TotalCostQuote));
    }

    private sealed record Run(List<RebalanceDecision> Decisions, int Fills, decimal CostQuote);
}
