using System.Text;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class LongCsvReaderTests
{
    private const string Header = "timestamp,symbol,open,high,low,close,volume\n";

    private static PricePanel Read(string text, MarketDataReadOptions? options = null) =>
        LongCsvReader.Read(MarketDataTestFiles.NonSeekable(text), "t.csv", options);

    private static MarketDataException Fails(string text) =>
        Assert.ThrowsExactly<MarketDataException>(() => Read(text));

    [TestMethod]
    public void Read_NonSeekableTrickleStream_ReadsEveryRow()
    {
        var p = Read(Header + "2024-01-01,BTC,1,2,0.5,1.5,10\r\n2024-01-01,ETH,3,4,2,3.5,20\r\n2024-01-02,BTC,1.5,2,1,1.8,11\r\n2024-01-02,ETH,3.5,4,3,3.9,21");
        CollectionAssert.AreEqual(new[] { "BTC", "ETH" }, p.Assets.ToArray());
        Assert.AreEqual(2, p.BarCount);
        Assert.AreEqual(3.9, p.Close(1)[1]);
        Assert.AreEqual(21, p.Volume(1)[1]);
        Assert.AreEqual(BarInterval.Daily, p.Interval);
    }

    [TestMethod]
    public void Read_ColumnsReorderedAndUpperCase_FoundByName()
    {
        var p = Read("Close,SYMBOL,Volume,TimeStamp\n1e-5,SHIB,2.5E+3,2024-01-01T00:00:00Z\n2E-5,SHIB,100,2024-01-01T01:00:00Z\n");
        Assert.IsFalse(p.HasOhlc);
        Assert.AreEqual(1e-5, p.Close(0)[0]);
        Assert.AreEqual(2500, p.Volume(0)[0]);
        Assert.AreEqual(BarInterval.Hourly, p.Interval);
    }

    [TestMethod]
    public void Read_IsoTimestampsWithOffsetAndFraction_ConvertedToUtc()
    {
        var p = Read("timestamp,symbol,close\n2024-01-01T02:00:00+02:00,A,1\n2024-01-01T01:00:00.000Z,A,2\n");
        Assert.AreEqual(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), p.Start);
        Assert.AreEqual(new DateTimeOffset(2024, 1, 1, 1, 0, 0, TimeSpan.Zero), p.End);
    }

    [TestMethod]
    public void Read_NanVolume_KeepsBarWithUnknownVolume()
    {
        var p = Read(Header + "2024-01-01,A,1,1,1,1,nan\n2024-01-02,A,1,1,1,1,5\n");
        Assert.IsTrue(double.IsNaN(p.Volume(0)[0]));
        Assert.IsTrue(p.Observed(0)[0]);
    }

    [TestMethod]
    public void Read_MissingCloseColumn_NamesColumnAndLine1()
    {
        var ex = Fails("timestamp,symbol,open\n2024-01-01,A,1\n");
        Assert.StartsWith("t.csv:1: the header has no 'close' column", ex.Message);
    }

    [TestMethod]
    public void Read_MissingTimestampAndSymbol_NamesBoth()
    {
        var ex = Fails("date,ticker,close\n2024-01-01,A,1\n");
        Assert.Contains("'timestamp' or 'symbol'", ex.Message);
        Assert.AreEqual(1L, ex.Line);
    }

    [TestMethod]
    public void Read_PartialOhlc_Throws()
    {
        var ex = Fails("timestamp,symbol,open,close\n2024-01-01,A,1,1\n");
        Assert.Contains("open, high and low must be given together", ex.Message);
    }

    [TestMethod]
    public void Read_WrongFieldCount_NamesLine()
    {
        var ex = Fails(Header + "2024-01-01,A,1,1,1,1,5\n2024-01-02,A,1,1,1,1\n");
        Assert.StartsWith("t.csv:3: expected 7 fields as in the header, found 6", ex.Message);
    }

    [TestMethod]
    public void Read_UnparsableNumber_NamesFieldAndLine()
    {
        var ex = Fails(Header + "2024-01-01,A,1,1,1,1,5\n2024-01-02,A,1,1,1,1.2.3,5\n");
        Assert.StartsWith("t.csv:3: cannot parse close '1.2.3' as a number", ex.Message);
    }

    [TestMethod]
    public void Read_EmptyNumber_SaysEmpty()
    {
        var ex = Fails(Header + "2024-01-01,A,1,1,1,,5\n");
        Assert.StartsWith("t.csv:2: close is empty", ex.Message);
    }

    [TestMethod]
    [DataRow("2024-13-01")]
    [DataRow("01/02/2024")]
    [DataRow("yesterday")]
    [DataRow("")]
    public void Read_UnparsableTimestamp_NamesLine(string stamp)
    {
        var ex = Fails(Header + "2024-01-01,A,1,1,1,1,5\n" + stamp + ",A,1,1,1,1,5\n");
        Assert.StartsWith("t.csv:3: cannot parse timestamp", ex.Message);
    }

    [TestMethod]
    public void Read_EmptyFile_NamesLine1()
    {
        var ex = Fails("");
        Assert.StartsWith("t.csv:1: the file is empty", ex.Message);
    }

    [TestMethod]
    public void Read_HeaderOnly_NamesLineAfterHeader()
    {
        var ex = Fails(Header + "\n");
        Assert.StartsWith("t.csv:3: the file has a header but no data rows", ex.Message);
    }

    [TestMethod]
    public void Read_UnsortedRows_NamesBothLines()
    {
        var ex = Fails(Header + "2024-01-02,A,1,1,1,1,5\n2024-01-01,A,1,1,1,1,5\n");
        Assert.StartsWith("t.csv:3: rows are not sorted", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [TestMethod]
    public void Read_DuplicateRow_NamesBothLines()
    {
        var ex = Fails(Header + "2024-01-01,A,1,1,1,1,5\n2024-01-01,B,1,1,1,1,5\n2024-01-01,A,1,1,1,1,5\n");
        Assert.StartsWith("t.csv:4: duplicate bar", ex.Message);
        Assert.Contains("line 2", ex.Message);
    }

    [TestMethod]
    [DataRow("NaN", "close is NaN")]
    [DataRow("0", "close 0 must be a positive finite price")]
    [DataRow("-3", "close -3 must be a positive finite price")]
    public void Read_BadClose_NamesProblem(string close, string problem)
    {
        var ex = Fails("timestamp,symbol,close\n2024-01-01,A," + close + "\n");
        Assert.StartsWith("t.csv:2: " + problem, ex.Message);
    }

    [TestMethod]
    public void Read_HighBelowClose_ReportsInconsistentOhlc()
    {
        var ex = Fails(Header + "2024-01-01,A,1,1.1,0.9,1.5,5\n");
        Assert.StartsWith("t.csv:2: A bar is inconsistent", ex.Message);
    }

    [TestMethod]
    public void Read_NegativeVolume_Throws()
    {
        var ex = Fails(Header + "2024-01-01,A,1,1,1,1,-5\n");
        Assert.Contains("volume -5 must be a finite number", ex.Message);
    }

    [TestMethod]
    public void Read_MixedIntervals_Throws()
    {
        var sb = new StringBuilder("timestamp,symbol,close\n");
        for (var i = 0; i < 4; i++)
        {
            sb.Append(new DateTime(2024, 1, 1).AddHours(i).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)).Append(",H,1\n");
        }

        for (var i = 0; i < 4; i++)
        {
            sb.Append(new DateTime(2024, 2, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append(",D,1\n");
        }

        var ex = Fails(sb.ToString());
        Assert.Contains("mixed intervals", ex.Message);
    }

    [TestMethod]
    public void Read_ExplicitInterval_SingleBarFileBuilds()
    {
        var p = Read("timestamp,symbol,close\n2024-01-01,A,1\n", new MarketDataReadOptions { Interval = BarInterval.Daily });
        Assert.AreEqual(1, p.BarCount);
    }
}
