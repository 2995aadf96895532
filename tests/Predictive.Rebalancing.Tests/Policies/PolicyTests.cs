using Predictive.Core.Rebalancing;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Rebalancing.Policies;

namespace Predictive.Rebalancing.Tests.Policies;

[TestClass]
public sealed class PolicyTests
{
    private static readonly string[] Assets = ["ETH", "BTC"];
    private static readonly double[] Prices = [2_000, 40_000];

    [TestMethod]
    public void Calendar_OnAndOffSchedule_TradesOnlyOnSchedule()
    {
        var policy = new CalendarPolicy(Some.Economics(), everyBars: 7, offsetBars: 3);
        var market = Some.Snapshot(Assets, Prices, 10_000_000m);

        var due = policy.Decide(Some.Context(market, Assets, [0.6, 0.4], [0.5, 0.5], bar: 10));
        var notDue = policy.Decide(Some.Context(market, Assets, [0.6, 0.4], [0.5, 0.5], bar: 11));

        Assert.IsTrue(due.Trade);
        Assert.AreEqual(DecisionReason.Scheduled, due.Reason);
        CollectionAssert.AreEqual(new[] { 0.5, 0.5 }, due.NewWeights);
        Assert.IsFalse(notDue.Trade);
        Assert.AreEqual(DecisionReason.NotScheduled, notDue.Reason);
        CollectionAssert.AreEqual(new[] { 0.6, 0.4 }, notDue.NewWeights);
        Assert.IsGreaterThan(0m, notDue.EstimatedCost.TotalQuote, "a skipped trade still reports what it would have cost");
    }

    [TestMethod]
    public void AnyPolicy_OnTarget_DoesNotTrade()
    {
        var economics = Some.Economics();
        IRebalancingPolicy[] policies =
        [
            new CalendarPolicy(economics, 1),
            new FullRebalancePolicy(economics),
            new ThresholdBandPolicy(economics),
            new CostAwareBandPolicy(economics),
        ];
        var context = Some.Context(Some.Snapshot(Assets, Prices, 10_000_000m), Assets, [0.5, 0.5], [0.5, 0.5], risk: Some.DiagonalRisk(0.04, 0.03));

        foreach (var policy in policies)
        {
            var d = policy.Decide(context);
            Assert.IsFalse(d.Trade, policy.Name);
            Assert.AreEqual(DecisionReason.AlreadyOnTarget, d.Reason, policy.Name);
            Assert.AreEqual(RebalanceCost.None, d.EstimatedCost, policy.Name);
        }
    }

    [TestMethod]
    public void ThresholdBand_InsideAndOutside_TradesOnlyOutside()
    {
        var policy = new ThresholdBandPolicy(Some.Economics(), new ThresholdBandOptions { Band = 0.05 });
        var market = Some.Snapshot(Assets, Prices, 10_000_000m);

        var inside = policy.Decide(Some.Context(market, Assets, [0.54, 0.46], [0.5, 0.5]));
        var outside = policy.Decide(Some.Context(market, Assets, [0.56, 0.44], [0.5, 0.5]));

        Assert.IsFalse(inside.Trade);
        Assert.AreEqual(DecisionReason.WithinBand, inside.Reason);
        Assert.IsTrue(outside.Trade);
        Assert.AreEqual(DecisionReason.OutsideBand, outside.Reason);
        CollectionAssert.AreEqual(new[] { 0.5, 0.5 }, outside.NewWeights);
        Assert.Contains("ETH", outside.Explanation);
    }

    [TestMethod]
    public void ThresholdBand_MoveToBandEdge_StopsAtTheBand()
    {
        var policy = new ThresholdBandPolicy(Some.Economics(), new ThresholdBandOptions { Norm = BandNorm.L1, Band = 0.1, MoveToBandEdge = true });

        var d = policy.Decide(Some.Context(Some.Snapshot(Assets, Prices, 10_000_000m), Assets, [0.7, 0.3], [0.5, 0.5]));

        Assert.IsTrue(d.Trade);
        Assert.AreEqual(0.55, d.NewWeights[0], 1e-12);
        Assert.AreEqual(1.0, d.NewWeights.Sum(), 1e-12);
    }

    [TestMethod]
    public void CostAware_ProportionalCost_TradesToTheBandEdgeNotTheTarget()
    {
        // Gas free, very deep pools: cost ≈ 30 bps of the traded notional. With K = (λ/2)·TE²·H·V = 540 and the full
        // move costing 600, trading to the target loses money, but α* = c/(2K) ≈ 0.56 nets about +107 (Leland's edge).
        var costs = new SwapCostOptions { GasPriceGwei = 0 };
        var economics = Some.Economics(costs, benefit: new TrackingErrorBenefit { RiskAversion = 2, HorizonBars = 30 });
        var policy = new CostAwareBandPolicy(economics, new CostAwareBandOptions { GridSteps = 100 });
        var market = Some.Snapshot(Assets, Prices, 1_000_000_000_000m, Some.Gas(0));
        var context = Some.Context(market, Assets, [0.6, 0.4], [0.5, 0.5], 1_000_000m, Some.DiagonalRisk(0.03, 0.03));

        var d = policy.Decide(context);
        var full = economics.Evaluate(context, context.TargetWeights);

        Assert.IsTrue(d.Trade, d.Explanation);
        Assert.AreEqual(DecisionReason.BenefitExceedsCost, d.Reason);
        var alpha = (d.NewWeights[0] - 0.5) / 0.1;
        Assert.AreEqual(600.0 / 1_080.0, alpha, 0.011);
        Assert.IsGreaterThan(d.EstimatedCost.TotalQuote, d.EstimatedBenefitQuote);
        Assert.IsLessThan(0m, full.BenefitQuote - full.Cost.TotalQuote, "the full move would cost more than it gains");
        Assert.AreEqual(Math.Sqrt(0.02 * 0.0009), d.Drift.TrackingError, 1e-12);
    }

    [TestMethod]
    public void CostAware_SmallDriftHighGas_DoesNotTradeAndSaysWhy()
    {
        var policy = new CostAwareBandPolicy(Some.Economics());
        var market = Some.Snapshot(Assets, Prices, 50_000_000m, Some.Gas(100, 3_000));

        var d = policy.Decide(Some.Context(market, Assets, [0.505, 0.495], [0.5, 0.5], 100_000m, Some.DiagonalRisk(0.04, 0.03)));

        Assert.IsFalse(d.Trade);
        Assert.AreEqual(DecisionReason.CostExceedsBenefit, d.Reason);
        Assert.IsLessThan(0m, d.NetBenefitQuote);
        Assert.Contains("not above", d.Explanation);
    }

    [TestMethod]
    public void CostAware_NoRiskModel_ThrowsNamingIt()
    {
        var policy = new CostAwareBandPolicy(Some.Economics());

        var ex = Assert.ThrowsExactly<ArgumentException>(() => policy.Decide(Some.Context(Some.Snapshot(Assets, Prices, 1_000_000m), Assets, [0.6, 0.4], [0.5, 0.5])));

        Assert.Contains("risk model", ex.Message);
    }

    [TestMethod]
    public void Decide_WrongWeightCount_Throws()
    {
        var policy = new FullRebalancePolicy(Some.Economics());

        Assert.ThrowsExactly<ArgumentException>(() => policy.Decide(Some.Context(Some.Snapshot(Assets, Prices, 1_000_000m), Assets, [1.0], [0.5, 0.5])));
    }
}
