using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class PanelBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void Build_GapLongerThanFillLimit_FillsThenLeavesNaN()
    {
        var b = new PanelBuilder("mem", hasOhlc: false, hasVolume: true, new MissingDataPolicy { MaxForwardFillBars = 2 });
        for (var d = 0; d < 8; d++)
        {
            b.Add(d + 1, T0.AddDays(d), "AAA", double.NaN, double.NaN, double.NaN, 10 + d, 5);
            if (d is 0 or 7)
            {
                b.Add(d + 100, T0.AddDays(d), "BBB", double.NaN, double.NaN, double.NaN, 100 + d, 5);
            }
        }

        var p = b.Build();
        var bbb = p.Close(p.IndexOf("BBB")).ToArray();
        CollectionAssert.AreEqual(new[] { 100d, 100, 100, double.NaN, double.NaN, double.NaN, double.NaN, 107 }, bbb);
        Assert.IsFalse(p.Observed(p.IndexOf("BBB"))[1]);
        Assert.AreEqual(0, p.Volume(p.IndexOf("BBB"))[1]);
        Assert.AreEqual(BarInterval.Daily, p.Interval);
    }

    [TestMethod]
    public void Build_AssetListsLate_IsNaNBeforeListing()
    {
        var b = new PanelBuilder("mem", false, false);
        b.Add(1, T0, "AAA", double.NaN, double.NaN, double.NaN, 1, double.NaN);
        b.Add(2, T0.AddDays(1), "AAA", double.NaN, double.NaN, double.NaN, 2, double.NaN);
        b.Add(3, T0.AddDays(1), "BBB", double.NaN, double.NaN, double.NaN, 3, double.NaN);
        var p = b.Build();
        Assert.IsTrue(double.IsNaN(p.Close(1)[0]));
        Assert.AreEqual(3, p.Close(1)[1]);
    }

    [TestMethod]
    public void Add_DuplicateBar_NamesBothLines()
    {
        var b = new PanelBuilder("f.csv", false, false);
        b.Add(2, T0, "AAA", double.NaN, double.NaN, double.NaN, 1, double.NaN);
        var ex = Assert.ThrowsExactly<MarketDataException>(() => b.Add(3, T0, "AAA", double.NaN, double.NaN, double.NaN, 1, double.NaN));
        Assert.StartsWith("f.csv:3: duplicate bar", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [TestMethod]
    public void Build_MixedIntervals_Throws()
    {
        var b = new PanelBuilder("f.csv", false, false);
        for (var i = 0; i < 3; i++)
        {
            b.Add(i, T0.AddHours(i), "AAA", double.NaN, double.NaN, double.NaN, 1, double.NaN);
            b.Add(i + 10, T0.AddDays(i), "BBB", double.NaN, double.NaN, double.NaN, 1, double.NaN);
        }

        var ex = Assert.ThrowsExactly<MarketDataException>(() => b.Build());
        Assert.Contains("mixed intervals", ex.Message);
    }
}
