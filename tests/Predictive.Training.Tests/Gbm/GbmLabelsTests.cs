using Predictive.Training.Gbm;

namespace Predictive.Training.Tests.Gbm;

[TestClass]
public sealed class GbmLabelsTests
{
    [TestMethod]
    public void Compute_KnownCloses_ForwardLogReturnAndRealizedVolatility()
    {
        double[][] closes = [[100, 110, 99, 99, 120]];

        var labels = GbmLabels.Compute(closes, 5, returnHorizon: 1, volatilityHorizon: 2);

        Assert.AreEqual(2, labels.Window);
        Assert.AreEqual(Math.Log(1.1), labels.Returns[0], 1e-7);
        Assert.AreEqual(Math.Sqrt((Math.Pow(Math.Log(1.1), 2) + Math.Pow(Math.Log(0.9), 2)) / 2), labels.Volatility[0], 1e-7);
        Assert.AreEqual(Math.Abs(Math.Log(120.0 / 99)) / Math.Sqrt(2), labels.Volatility[2], 1e-7);
        Assert.AreEqual(Math.Log(120.0 / 99), labels.Returns[3], 1e-7);
        Assert.IsTrue(float.IsNaN(labels.Volatility[3]), "the window t+1..t+2 runs past the last bar");
        Assert.IsTrue(float.IsNaN(labels.Returns[4]), "the last bar has no future");
    }

    [TestMethod]
    public void Compute_LongerReturnHorizon_SpansThatManyBars()
    {
        double[][] closes = [[100, 110, 99, 99, 120], [10, 10, 10, 10, 10]];

        var labels = GbmLabels.Compute(closes, 5, returnHorizon: 3, volatilityHorizon: 1);

        Assert.AreEqual(3, labels.Window);
        Assert.AreEqual(Math.Log(0.99), labels.Returns[0], 1e-7, "asset 0, bar 0 → bar 3");
        Assert.AreEqual(0f, labels.Returns[1], "asset 1 never moves");
        Assert.AreEqual(Math.Abs(Math.Log(1.1)), labels.Volatility[0], 1e-7, "one-bar volatility is |log return|");
        Assert.IsTrue(float.IsNaN(labels.Returns[2 * 2]), "bar 2 + 3 is past the end");
    }

    [TestMethod]
    public void Compute_MissingClose_NaNForEveryWindowThatTouchesIt()
    {
        double[][] closes = [[100, double.NaN, 100, 101, 102, 103]];

        var labels = GbmLabels.Compute(closes, 6, returnHorizon: 1, volatilityHorizon: 2);

        Assert.IsTrue(float.IsNaN(labels.Returns[0]));
        Assert.IsTrue(float.IsNaN(labels.Volatility[0]));
        Assert.IsTrue(float.IsNaN(labels.Returns[1]));
        Assert.IsTrue(float.IsFinite(labels.Volatility[2]));
    }
}
