using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;

namespace Predictive.Core.Tests.Synthetic;

[TestClass]
public sealed class SyntheticMarketTests
{
    private static readonly SyntheticMarketOptions Long = new() { Bars = 5000, Seed = 7 };

    [TestMethod]
    public void Generate_Defaults_EightNamedAssetsWithOhlcAndVolume()
    {
        var p = SyntheticMarket.Generate(new SyntheticMarketOptions());
        Assert.AreEqual(8, p.AssetCount);
        Assert.IsTrue(p.TryGetIndex("BTC", out _));
        Assert.AreEqual(1000, p.BarCount);
        Assert.AreEqual(BarInterval.Daily, p.Interval);
        Assert.IsTrue(p.HasOhlc && p.HasVolume);
    }

    [TestMethod]
    public void Generate_MoreThanDefaultNames_NumbersTheRest()
    {
        var p = SyntheticMarket.Generate(new SyntheticMarketOptions { AssetCount = 10, Bars = 10 });
        Assert.IsTrue(p.TryGetIndex("SYN10", out _));
        Assert.IsTrue(p.TryGetIndex("SYN09", out _));
    }

    [TestMethod]
    public void Generate_SameSeed_IdenticalPanel()
    {
        var a = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 3 });
        var b = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 3 });
        Tests.MarketData.PanelAssert.Equal(a, b);
    }

    [TestMethod]
    public void Generate_DifferentSeed_DifferentPrices()
    {
        var a = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 3 });
        var b = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = 4 });
        Assert.IsFalse(a.Close(0).SequenceEqual(b.Close(0)));
    }

    [TestMethod]
    public void Generate_Returns_HaveFatTails()
    {
        var p = SyntheticMarket.Generate(Long);
        for (var a = 0; a < p.AssetCount; a++)
        {
            var r = LogReturns(p, a, Enumerable.Range(1, p.BarCount - 1));
            var mean = r.Average();
            var m2 = r.Average(x => Math.Pow(x - mean, 2));
            var m4 = r.Average(x => Math.Pow(x - mean, 4));
            Assert.IsGreaterThan(1.0, (m4 / (m2 * m2)) - 3, $"{p.Assets[a]} excess kurtosis");
        }
    }

    [TestMethod]
    public void Generate_CrashRegime_MoreVolatileAndMoreCorrelatedThanCalm()
    {
        var result = SyntheticMarket.GenerateWithRegimes(Long);
        var p = result.Panel;
        int[] Bars(MarketRegime regime) => Enumerable.Range(1, p.BarCount - 1).Where(t => result.Regimes[t] == regime).ToArray();
        var calm = Bars(MarketRegime.Calm);
        var crash = Bars(MarketRegime.Crash);
        Assert.IsGreaterThan(100, crash.Length, "the chain must visit the crash regime");
        Assert.IsGreaterThan(500, calm.Length);

        for (var a = 0; a < p.AssetCount; a++)
        {
            Assert.IsGreaterThan(StdDev(LogReturns(p, a, calm)) * 2, StdDev(LogReturns(p, a, crash)), p.Assets[a]);
        }

        Assert.IsGreaterThan(AveragePairwiseCorrelation(p, calm) + 0.3, AveragePairwiseCorrelation(p, crash));
    }

    [TestMethod]
    public void Generate_CrashRegime_TradesMoreVolume()
    {
        var result = SyntheticMarket.GenerateWithRegimes(Long);
        var p = result.Panel;
        double Mean(MarketRegime regime) => Enumerable.Range(0, p.BarCount).Where(t => result.Regimes[t] == regime).Average(t => p.Volume(0)[t]);
        Assert.IsGreaterThan(Mean(MarketRegime.Calm) * 2, Mean(MarketRegime.Crash));
    }

    [TestMethod]
    public void Generate_Bars_OhlcConsistentAndOpenIsPreviousClose()
    {
        var p = SyntheticMarket.Generate(Long);
        for (var a = 0; a < p.AssetCount; a++)
        {
            for (var t = 0; t < p.BarCount; t++)
            {
                Assert.IsTrue(p.Low(a)[t] <= Math.Min(p.Open(a)[t], p.Close(a)[t]) && p.High(a)[t] >= Math.Max(p.Open(a)[t], p.Close(a)[t]) && p.Low(a)[t] > 0);
                Assert.IsTrue(p.Volume(a)[t] > 0);
                if (t > 0)
                {
                    Assert.AreEqual(p.Close(a)[t - 1], p.Open(a)[t]);
                }
            }
        }
    }

    [TestMethod]
    public void Generate_InvalidOptions_NameTheSetting()
    {
        Assert.Contains("Bars", Assert.ThrowsExactly<ArgumentException>(() => SyntheticMarket.Generate(new SyntheticMarketOptions { Bars = 1 })).Message);
        Assert.Contains("DegreesOfFreedom", Assert.ThrowsExactly<ArgumentException>(() => SyntheticMarket.Generate(new SyntheticMarketOptions { DegreesOfFreedom = 2 })).Message);
        Assert.Contains("AssetCount", Assert.ThrowsExactly<ArgumentException>(() => SyntheticMarket.Generate(new SyntheticMarketOptions { AssetCount = 0 })).Message);
        Assert.Contains("Crash parameters", Assert.ThrowsExactly<ArgumentException>(() =>
            SyntheticMarket.Generate(new SyntheticMarketOptions { Crash = new RegimeParameters(0, 0.05, 1.0, 1) })).Message);
        Assert.Contains("Transitions row Calm", Assert.ThrowsExactly<ArgumentException>(() =>
            SyntheticMarket.Generate(new SyntheticMarketOptions { Transitions = [[0.5, 0.2, 0.2], [0, 1, 0], [0, 0, 1]] })).Message);
        Assert.Contains("distinct", Assert.ThrowsExactly<ArgumentException>(() => SyntheticMarket.Generate(new SyntheticMarketOptions { Symbols = ["A", "A"] })).Message);
    }

    private static double[] LogReturns(PricePanel p, int asset, IEnumerable<int> bars) =>
        bars.Select(t => Math.Log(p.Close(asset)[t] / p.Close(asset)[t - 1])).ToArray();

    private static double StdDev(double[] x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
    }

    private static double AveragePairwiseCorrelation(PricePanel p, int[] bars)
    {
        var r = Enumerable.Range(0, p.AssetCount).Select(a => LogReturns(p, a, bars)).ToArray();
        var sum = 0.0;
        var pairs = 0;
        for (var i = 0; i < r.Length; i++)
        {
            for (var j = i + 1; j < r.Length; j++)
            {
                sum += Correlation(r[i], r[j]);
                pairs++;
            }
        }

        return sum / pairs;
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
