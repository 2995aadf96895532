using System.Numerics;
using CsCheck;
using Predictive.Chain.Venue;

namespace Predictive.Chain.Tests.Venue;

[TestClass]
public sealed class TokenAmountsTests
{
    [TestMethod]
    public void ToRaw_FractionBelowOneBaseUnit_RoundsDownForInputsAndUpForMinimumOutputs()
    {
        Assert.AreEqual(new BigInteger(1_234_567), TokenAmounts.ToRaw(1.2345678m, 6, UnitRounding.Down));
        Assert.AreEqual(new BigInteger(1_234_568), TokenAmounts.ToRaw(1.2345678m, 6, UnitRounding.Up));
        Assert.AreEqual(new BigInteger(1_500_000), TokenAmounts.ToRaw(1.5m, 6, UnitRounding.Up), "exact amounts are not rounded");
    }

    [TestMethod]
    public void ToUnits_EighteenDecimals_IsExactBelowTwoToThe96()
    {
        Assert.AreEqual(123_456_789.012345678901234567m, TokenAmounts.ToUnits(BigInteger.Parse("123456789012345678901234567", System.Globalization.CultureInfo.InvariantCulture), 18));
        Assert.AreEqual(0.000001m, TokenAmounts.ToUnits(1, 6));
    }

    [TestMethod]
    public void ToUnits_AboveDecimalRange_TruncatesTowardZero()
    {
        var raw = BigInteger.Pow(10, 40) + 987_654_321; // 10^22 tokens and a few base units
        var units = TokenAmounts.ToUnits(raw, 18);
        Assert.AreEqual(10_000_000_000_000_000_000_000m, units);
    }

    [TestMethod]
    public void ToRawToUnits_AnyBaseUnitAmount_RoundTrips() =>
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Int[0, 18]).Sample((raw, decimals) =>
            TokenAmounts.ToRaw(TokenAmounts.ToUnits(raw, decimals), decimals, UnitRounding.Down) == raw);

    [TestMethod]
    public void ToRaw_NegativeAmount_Throws() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => TokenAmounts.ToRaw(-1m, 6, UnitRounding.Down));
}
