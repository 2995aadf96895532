using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class RealDataTests
{
    [TestMethod]
    public void Read_CryptoDaily_Has21SymbolsAnd3444DailyBars()
    {
        var p = MarketDataFile.Read(MarketDataTestFiles.SharedData("crypto-daily.csv"));
        Assert.AreEqual(21, p.AssetCount);
        Assert.AreEqual(3444, p.BarCount);
        Assert.AreEqual(new DateTimeOffset(2014, 9, 17, 0, 0, 0, TimeSpan.Zero), p.Start);
        Assert.AreEqual(new DateTimeOffset(2024, 2, 20, 0, 0, 0, TimeSpan.Zero), p.End);
        Assert.AreEqual(BarInterval.Daily, p.Interval);
        Assert.IsTrue(p.HasOhlc && p.HasVolume);
        var btc = p.IndexOf("BTC");
        Assert.AreEqual(457.3340148925781, p.Close(btc)[0]);
        Assert.IsTrue(double.IsNaN(p.Close(p.IndexOf("SOL"))[0]), "SOL is not listed in 2014.");
    }

    [TestMethod]
    public void Read_CryptoHourly_Has4SymbolsHourly()
    {
        var p = MarketDataFile.Read(MarketDataTestFiles.SharedData("crypto-hourly.csv"));
        CollectionAssert.AreEquivalent(new[] { "ADA", "BNB", "BTC", "ETH" }, p.Assets.ToArray());
        Assert.AreEqual(BarInterval.Hourly, p.Interval);
        Assert.AreEqual(new DateTimeOffset(2017, 8, 17, 5, 0, 0, TimeSpan.Zero), p.Start);
        Assert.AreEqual(new DateTimeOffset(2021, 6, 10, 0, 0, 0, TimeSpan.Zero), p.End);
        var btc = p.IndexOf("BTC");
        var observed = 0;
        foreach (var o in p.Observed(btc))
        {
            observed += o ? 1 : 0;
        }

        Assert.AreEqual(33412, observed);
    }

    [TestMethod]
    public void Read_EtfDaily_CloseAndVolumeOnly()
    {
        var p = MarketDataFile.Read(MarketDataTestFiles.SharedData("etf-daily.csv"));
        Assert.AreEqual(18, p.AssetCount);
        Assert.IsFalse(p.HasOhlc);
        Assert.IsTrue(p.HasVolume);
        Assert.AreEqual(24.313045501708984, p.Close(p.IndexOf("SPY"))[0]);
    }

    [TestMethod]
    public void Read_EthGas_CloseOnly()
    {
        var p = MarketDataFile.Read(MarketDataTestFiles.SharedData("eth-gas-daily.csv"));
        Assert.AreEqual(1, p.AssetCount);
        Assert.AreEqual(2340, p.BarCount);
        Assert.IsFalse(p.HasVolume);
    }

    [TestMethod]
    public async Task Write_CryptoDailyAsParquetAndCsv_ReadsBackTheSamePanel()
    {
        var original = MarketDataFile.Read(MarketDataTestFiles.SharedData("crypto-daily.csv"));
        using var dir = MarketDataTestFiles.NewTempDir();
        foreach (var name in new[] { "copy.parquet", "copy.csv" })
        {
            var path = dir.File(name);
            await MarketDataFile.WriteAsync(original, path);
            PanelAssert.Equal(original, await MarketDataFile.ReadAsync(path));
        }
    }
}
