using Predictive.Training.Study;

namespace Predictive.Training.Tests.Study;

[TestClass]
public sealed class HoldingsProfileTests
{
    [TestMethod]
    public void FromRows_ThreeBarsByHand_EffectiveNAndLargestWeights()
    {
        // Bar 0: two halves → N = 2, max 0.5. Bar 1: 0.7 and three 0.1 → N = 1/(0.49 + 0.03) = 1.923…, max 0.7.
        // Bar 2: 0.2, 0.2, 0.1 held with 0.5 in cash → normalized 0.4, 0.4, 0.2: N = 1/0.36 = 2.777…, max 0.4.
        // Bar 3 holds nothing and is skipped.
        double[] rows = [0.5, 0.5, 0, 0, 0.7, 0.1, 0.1, 0.1, 0.2, 0.2, 0.1, 0, 0, 0, 0, 0];

        var h = HoldingsProfile.FromRows(rows, 4);

        Assert.AreEqual(3, h.Bars);
        Assert.AreEqual((2 + (1 / 0.52) + (1 / 0.36)) / 3, h.MeanEffectiveN, 1e-12);
        Assert.AreEqual(0.7, h.MaxWeight, 1e-12);
        Assert.AreEqual((0.5 + 0.7 + 0.4) / 3, h.MeanMaxWeight, 1e-12);
    }

    [TestMethod]
    public void FromRows_EqualWeights_EffectiveNIsAssetCount()
    {
        var rows = Enumerable.Repeat(0.125, 8 * 10).ToArray();

        var h = HoldingsProfile.FromRows(rows, 8);

        Assert.AreEqual(8, h.MeanEffectiveN, 1e-12);
        Assert.AreEqual(0.125, h.MaxWeight, 1e-12);
    }

    [TestMethod]
    public void FromRows_NegativeWeight_ThrowsNamingTheRow()
    {
        var e = Assert.ThrowsExactly<ArgumentException>(() => HoldingsProfile.FromRows([0.5, 0.5, 1.2, -0.2], 2));

        StringAssert.Contains(e.Message, "row 1");
    }
}
