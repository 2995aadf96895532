using CsCheck;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class RoundTripTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly BarInterval[] Intervals = [BarInterval.Daily, BarInterval.Hourly, new(TimeSpan.FromMinutes(15))];

    /// <summary>A panel with a late listing, a short hole (forward-filled), a long hole (NaN) and an unknown volume.</summary>
    private static PricePanel Gappy(bool ohlc, bool volume, TimeSpan step)
    {
        var b = new PanelBuilder("mem", ohlc, volume, new MissingDataPolicy { MaxForwardFillBars = 1 });
        for (var t = 0; t < 10; t++)
        {
            b.Add(t, T0 + (step * t), "AAA", 10 + t, 12 + t, 9 + t, 11 + t, t == 4 ? double.NaN : 1000.5 * t);
            if (t >= 2 && t is not 5 and not (>= 7 and <= 8))
            {
                b.Add(100 + t, T0 + (step * t), "BBB", 0.1 / t, 0.2 / t, 0.05 / t, 0.15 / t, 1e-7 * t);
            }
        }

        return b.Build();
    }

    [TestMethod]
    [DataRow("p.csv", true, true, 24)]
    [DataRow("p.csv", false, true, 24)]
    [DataRow("p.csv", false, false, 1)]
    [DataRow("p.parquet", true, true, 1)]
    [DataRow("p.parquet", false, false, 24)]
    public async Task Write_GappyPanel_ReadsBackTheSamePanel(string name, bool ohlc, bool volume, int hours)
    {
        var panel = Gappy(ohlc, volume, TimeSpan.FromHours(hours));
        using var dir = MarketDataTestFiles.NewTempDir();
        var path = dir.File(name);
        await MarketDataFile.WriteAsync(panel, path);
        var back = await MarketDataFile.ReadAsync(path, new MarketDataReadOptions { Policy = new MissingDataPolicy { MaxForwardFillBars = 1 } });
        PanelAssert.Equal(panel, back);
    }

    [TestMethod]
    public void WriteCsv_ForwardFilledAndUnlistedBars_AreNotWritten()
    {
        using var stream = new MemoryStream();
        LongCsvWriter.Write(Gappy(true, true, TimeSpan.FromDays(1)), stream);
        var lines = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.AreEqual("timestamp,symbol,open,high,low,close,volume", lines[0]);
        Assert.AreEqual(1 + 10 + 5, lines.Length);
        Assert.AreEqual("2024-01-01,AAA,10,12,9,11,0", lines[1]);
        Assert.IsFalse(lines.Any(l => l.StartsWith("2024-01-06,BBB", StringComparison.Ordinal)), "a filled bar is not data.");
    }

    [TestMethod]
    public void WriteThenRead_AnySyntheticMarket_RoundTripsThroughCsvAndParquet()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 5], Gen.Int[2, 40], Gen.Int[0, 2].Select(i => Intervals[i]))
            .Sample((seed, assets, bars, interval) =>
            {
                var panel = SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = seed, AssetCount = assets, Bars = bars, Interval = interval, Start = T0.AddMinutes(seed & 0xFFF) });
                using var csv = new MemoryStream();
                LongCsvWriter.Write(panel, csv);
                csv.Position = 0;
                PanelAssert.Equal(panel, LongCsvReader.Read(csv, "gen.csv"));

                using var parquet = new MemoryStream();
                ParquetMarketData.WriteAsync(panel, parquet).GetAwaiter().GetResult();
                parquet.Position = 0;
                PanelAssert.Equal(panel, ParquetMarketData.ReadAsync(parquet, "gen.parquet").GetAwaiter().GetResult());
            }, iter: 40);
    }
}
