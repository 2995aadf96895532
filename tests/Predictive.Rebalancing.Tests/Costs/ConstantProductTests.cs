using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Rebalancing.Tests.Costs;

[TestClass]
public sealed class ConstantProductTests
{
    // Swap vectors of Uniswap V2's own pair tests (UniswapV2Pair.spec.ts): swap amount, reserve in, reserve out
    // (all × 10¹⁸ on chain) and the expected output in wei.
    [TestMethod]
    [DataRow(1, 5, 10, "1662497915624478906")]
    [DataRow(1, 10, 5, "453305446940074565")]
    [DataRow(2, 5, 10, "2851015155847869602")]
    [DataRow(2, 10, 5, "831248957812239453")]
    [DataRow(1, 10, 10, "906610893880149131")]
    [DataRow(1, 100, 100, "987158034397061298")]
    [DataRow(1, 1000, 1000, "996006981039903216")]
    public void AmountOut_UniswapV2Vectors_MatchToTheWei(int amountIn, int reserveIn, int reserveOut, string expectedWei)
    {
        var output = ConstantProduct.AmountOut(amountIn, reserveIn, reserveOut, 30);

        Assert.AreEqual(decimal.Parse(expectedWei, System.Globalization.CultureInfo.InvariantCulture), decimal.Floor(output * 1_000_000_000_000_000_000m));
    }

    [TestMethod]
    public void AmountIn_OfAmountOut_RoundTrips()
    {
        var output = ConstantProduct.AmountOut(12.5m, 400m, 900_000m, 30);

        Assert.AreEqual(12.5m, decimal.Round(ConstantProduct.AmountIn(output, 400m, 900_000m, 30), 20));
    }

    [TestMethod]
    public void MaxAmountInForImpact_AtTheLimit_HasExactlyThatImpact()
    {
        var amount = ConstantProduct.MaxAmountInForImpact(1_000m, 30, 0.01);

        Assert.AreEqual(0.01, ConstantProduct.PriceImpact(amount, 1_000m, 30), 1e-12);
    }

    [TestMethod]
    public void AmountOut_PoolCannotPay_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ConstantProduct.AmountIn(10m, 100m, 10m, 30));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ConstantProduct.AmountOut(1m, 0m, 10m, 30));
    }
}
