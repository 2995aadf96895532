using System.Text;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class BinanceKlineReaderTests
{
    // Rows in the data.binance.vision layout: open time, O, H, L, C, base volume, close time, quote volume, trades,
    // taker buy base, taker buy quote, ignore.
    internal static string Row(long openTime, double close, long step = 86_400_000, double quoteVolume = 1_000_000) =>
        FormattableString.Invariant($"{openTime},{close - 1},{close + 2},{close - 2},{close},12.5,{openTime + step - 1},{quoteVolume},100,6.25,500000,0");

    private const long Jan1Ms = 1_704_067_200_000; // 2024-01-01T00:00Z

    [TestMethod]
    public void ReadFile_NoHeaderMilliseconds_SymbolFromFileNameAndQuoteVolume()
    {
        using var dir = MarketDataTestFiles.NewTempDir();
        var path = dir.File("BTCUSDT-1d-2024-01.csv", Row(Jan1Ms, 42000, quoteVolume: 123.5) + "\n" + Row(Jan1Ms + 86_400_000, 43000) + "\n");
        var p = MarketDataFile.Read(path);
        CollectionAssert.AreEqual(new[] { "BTC" }, p.Assets.ToArray());
        Assert.AreEqual(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), p.Start);
        Assert.AreEqual(BarInterval.Daily, p.Interval);
        Assert.AreEqual(42000, p.Close(0)[0]);
        Assert.AreEqual(42002, p.High(0)[0]);
        Assert.AreEqual(123.5, p.Volume(0)[0], "volume is the quote asset volume.");
    }

    [TestMethod]
    public void ReadFile_HeaderAndMicroseconds_DetectedByMagnitude()
    {
        using var dir = MarketDataTestFiles.NewTempDir();
        var header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n";
        var path = dir.File("ETHUSDT-1h-2025-01-01.csv", header + Row(Jan1Ms * 1000, 2000) + "\n" + Row((Jan1Ms + 3_600_000) * 1000, 2010) + "\n");
        var p = MarketDataFile.Read(path);
        Assert.AreEqual("ETH", p.Assets[0]);
        Assert.AreEqual(new DateTimeOffset(2024, 1, 1, 1, 0, 0, TimeSpan.Zero), p.End);
        Assert.AreEqual(BarInterval.Hourly, p.Interval);
    }

    [TestMethod]
    public void ReadFile_SingleRow_IntervalFromFileName()
    {
        using var dir = MarketDataTestFiles.NewTempDir();
        var p = MarketDataFile.Read(dir.File("SOLUSDT-4h-2024-01-01.csv", Row(Jan1Ms, 100) + "\n"));
        Assert.AreEqual(BarInterval.Parse("4h"), p.Interval);
    }

    [TestMethod]
    public void ReadCsv_SymbolOption_OverridesFileName()
    {
        var p = BinanceKlineReader.ReadCsv(MarketDataTestFiles.NonSeekable(Row(Jan1Ms, 10) + "\n" + Row(Jan1Ms + 86_400_000, 20)), "stdin",
            new MarketDataReadOptions { Symbol = "XYZ" });
        Assert.AreEqual("XYZ", p.Assets[0]);
    }

    [TestMethod]
    public void ReadCsv_WrongFieldCount_NamesLine()
    {
        var text = Row(Jan1Ms, 10) + "\n" + Row(Jan1Ms + 86_400_000, 20)[..^2] + "\n";
        var ex = Assert.ThrowsExactly<MarketDataException>(() => BinanceKlineReader.ReadCsv(MarketDataTestFiles.NonSeekable(text), "BTCUSDT-1d.csv"));
        Assert.StartsWith("BTCUSDT-1d.csv:2: expected 12 kline fields, found 11", ex.Message);
    }

    [TestMethod]
    public void ReadCsv_BadOpenTimeAfterFirstRow_NamesLine()
    {
        var text = Row(Jan1Ms, 10) + "\n" + Row(Jan1Ms + 86_400_000, 20).Replace("1704153600000,", "soon,", StringComparison.Ordinal) + "\n";
        var ex = Assert.ThrowsExactly<MarketDataException>(() => BinanceKlineReader.ReadCsv(MarketDataTestFiles.NonSeekable(text), "BTCUSDT-1d.csv"));
        Assert.StartsWith("BTCUSDT-1d.csv:2: cannot parse open time 'soon'", ex.Message);
    }

    [TestMethod]
    public void ReadCsv_UnknownSymbol_AsksForOption()
    {
        var ex = Assert.ThrowsExactly<MarketDataException>(() => BinanceKlineReader.ReadCsv(MarketDataTestFiles.NonSeekable(Row(Jan1Ms, 10)), "-.csv"));
        Assert.Contains("cannot tell the symbol", ex.Message);
    }

    [TestMethod]
    public void ReadJson_RestResponse_ParsesStringPrices()
    {
        var json = "[[1704067200000,\"42283.58\",\"44184.10\",\"42180.77\",\"44179.55\",\"27174.29903\",1704153599999,\"1169995682.39\",1029926,\"13536.88\",\"582794547.12\",\"0\"],"
            + "[1704153600000,\"44179.55\",\"45879.63\",\"44148.34\",\"44946.91\",\"65146.40\",1704239999999,\"2944169683.14\",1988016,\"32923.32\",\"1487970993.37\",\"0\"]]";
        var p = BinanceKlineReader.ReadJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "BTCUSDT-1d.json");
        Assert.AreEqual("BTC", p.Assets[0]);
        Assert.AreEqual(2, p.BarCount);
        Assert.AreEqual(44946.91, p.Close(0)[1]);
        Assert.AreEqual(1169995682.39, p.Volume(0)[0]);
    }

    [TestMethod]
    [DataRow("[[1704067200000,\"1\"]]", "expected an array of 12 kline fields")]
    [DataRow("{\"code\":-1121}", "expected a JSON array of klines")]
    [DataRow("[[1704067200000,\"x\",\"1\",\"1\",\"1\",\"1\",1704153599999,\"1\",1,\"1\",\"1\",\"0\"]]", "kline 1: open")]
    [DataRow("[[1704067200000,", "malformed JSON")]
    [DataRow("[]", "no klines")]
    public void ReadJson_BadInput_NamesProblem(string json, string problem)
    {
        var ex = Assert.ThrowsExactly<MarketDataException>(() => BinanceKlineReader.ReadJson(new MemoryStream(Encoding.UTF8.GetBytes(json)), "BTCUSDT.json"));
        Assert.StartsWith("BTCUSDT.json", ex.Message);
        Assert.Contains(problem, ex.Message);
    }
}
