using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Rebalancing.Tests.Costs;

[TestClass]
public sealed class SwapCostModelTests
{
    [TestMethod]
    public void Estimate_PoolAtReferencePrice_SplitsShortfallIntoFeeAndExactImpact()
    {
        var model = new SwapCostModel();
        // 100 ETH into a pool of 10,000 ETH / 20 M USDC at the reference price of 2,000.
        var e = model.Estimate(100m, 10_000m, 20_000_000m, 2_000, 1, Some.Gas(30, 2_000));

        var expectedOut = 100m * 9_970m * 20_000_000m / ((10_000m * 10_000m) + (100m * 9_970m));
        Assert.AreEqual(expectedOut, e.AmountOut);
        Assert.AreEqual(200_000m, e.NotionalQuote);
        Assert.AreEqual(600m, e.FeeQuote, "30 bps of the input");
        Assert.AreEqual(200_000m - 600m - expectedOut, e.ImpactQuote, "impact is the rest of the shortfall");
        Assert.AreEqual(99.7 / 10_099.7 * 10_000, e.PriceImpactBps, 1e-9);
        Assert.AreEqual(7.8m, e.GasQuote, "130k gas × 30 gwei × 2,000 = 7.8");
        Assert.AreEqual(e.FeeQuote + e.ImpactQuote + e.GasQuote, e.TotalQuote);
    }

    [TestMethod]
    public void Estimate_SlippageTolerance_BecomesMinimumOutput()
    {
        var model = new SwapCostModel(new SwapCostOptions { SlippageBps = 100 });

        var e = model.Estimate(1m, 1_000m, 1_000m, 1, 1, Some.Gas());

        Assert.AreEqual(e.AmountOut * 0.99m, e.MinAmountOut);
    }

    [TestMethod]
    public void Validate_FeeOutOfRange_NamesTheOption()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new SwapCostModel(new SwapCostOptions { PoolFeeBps = 2_000, GasUnitsPerSwap = 5 }));

        Assert.Contains("PoolFeeBps must be in [0, 1000]", ex.Message);
        Assert.Contains("GasUnitsPerSwap", ex.Message);
    }

    [TestMethod]
    public void Defaults_AreValidAndDescribeUniswapV2()
    {
        var o = SwapCostOptions.Default;
        o.Validate();

        Assert.AreEqual(30, o.PoolFeeBps);
        Assert.IsTrue(o.GasUnitsPerSwap is >= 110_000 and <= 150_000);
    }
}
