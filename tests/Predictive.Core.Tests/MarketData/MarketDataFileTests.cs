using System.Text;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class MarketDataFileTests
{
    [TestMethod]
    [DataRow("a.parquet", MarketDataFormat.Parquet)]
    [DataRow("A.JSON", MarketDataFormat.BinanceKlineJson)]
    [DataRow("a.csv", null)]
    public void FormatFromExtension_KnownExtensions_Map(string path, MarketDataFormat? expected) =>
        Assert.AreEqual(expected, MarketDataFile.FormatFromExtension(path));

    [TestMethod]
    public async Task ReadAsync_NonSeekableCsvOfEitherLayout_DetectedFromFirstLine()
    {
        var longCsv = await MarketDataFile.ReadAsync(MarketDataTestFiles.NonSeekable("timestamp,symbol,close\n2024-01-01,A,1\n2024-01-02,A,2\n"), "stdin");
        Assert.AreEqual("A", longCsv.Assets[0]);
        var klines = BinanceKlineReaderTests.Row(1_704_067_200_000, 5) + "\n" + BinanceKlineReaderTests.Row(1_704_153_600_000, 6) + "\n";
        var binance = await MarketDataFile.ReadAsync(MarketDataTestFiles.NonSeekable(klines), "stdin", new MarketDataReadOptions { Symbol = "B" });
        Assert.AreEqual("B", binance.Assets[0]);
        Assert.IsTrue(binance.HasOhlc);
    }

    [TestMethod]
    public void Read_MissingFile_NamesPath()
    {
        var ex = Assert.ThrowsExactly<MarketDataException>(() => MarketDataFile.Read("/nonexistent/x.csv"));
        Assert.StartsWith("/nonexistent/x.csv: cannot open the file", ex.Message);
    }

    [TestMethod]
    public void Read_EmptyCsvFile_NamesFileAndLine()
    {
        using var dir = MarketDataTestFiles.NewTempDir();
        var path = dir.File("empty.csv", "");
        var ex = Assert.ThrowsExactly<MarketDataException>(() => MarketDataFile.Read(path));
        Assert.StartsWith(path + ":1: the file is empty", ex.Message);
    }

    [TestMethod]
    public void Read_NotParquet_SaysSo()
    {
        using var dir = MarketDataTestFiles.NewTempDir();
        var path = dir.File("x.parquet", "timestamp,symbol,close\n");
        var ex = Assert.ThrowsExactly<MarketDataException>(() => MarketDataFile.Read(path));
        Assert.Contains("not a readable Parquet file", ex.Message);
    }

    [TestMethod]
    public async Task ReadAsync_ParquetWithoutClose_NamesMissingColumn()
    {
        var schema = new Parquet.Schema.ParquetSchema(new Parquet.Schema.DataField<string>("symbol"), new Parquet.Schema.DataField<long>("timestamp"));
        using var ms = new MemoryStream();
        await using (var w = await Parquet.ParquetWriter.CreateAsync(schema, ms, null, false, default))
        {
            using var g = w.CreateRowGroup();
            await g.WriteAsync(schema.DataFields[0], new[] { "A" });
            await g.WriteAsync<long>(schema.DataFields[1], new long[] { 1_704_067_200_000 }, null, null, default);
        }

        ms.Position = 0;
        var ex = await Assert.ThrowsExactlyAsync<MarketDataException>(() => ParquetMarketData.ReadAsync(ms, "x.parquet"));
        Assert.StartsWith("x.parquet: the Parquet schema has no 'close' column", ex.Message);
    }

    [TestMethod]
    public async Task ReadAsync_ParquetWithEpochMillisAndFloats_Reads()
    {
        var schema = new Parquet.Schema.ParquetSchema(
            new Parquet.Schema.DataField<long>("Timestamp"), new Parquet.Schema.DataField<string>("Symbol"), new Parquet.Schema.DataField<float?>("Close"));
        using var ms = new MemoryStream();
        await using (var w = await Parquet.ParquetWriter.CreateAsync(schema, ms, null, false, default))
        {
            using var g = w.CreateRowGroup();
            await g.WriteAsync<long>(schema.DataFields[0], new long[] { 1_704_067_200_000, 1_704_153_600_000 }, null, null, default);
            await g.WriteAsync(schema.DataFields[1], new[] { "A", "A" });
            await g.WriteAsync<float>(schema.DataFields[2], new float?[] { 1.5f, 2.5f }, null, null, default);
        }

        ms.Position = 0;
        var p = await ParquetMarketData.ReadAsync(ms, "x.parquet");
        Assert.AreEqual(BarInterval.Daily, p.Interval);
        Assert.AreEqual(2.5, p.Close(0)[1]);
    }

    [TestMethod]
    public async Task WriteAsync_OneBarParquet_ReadsBackWithStoredInterval()
    {
        var b = new PanelBuilder("mem", false, false);
        b.Add(1, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), "A", double.NaN, double.NaN, double.NaN, 3, double.NaN);
        var panel = b.Build(BarInterval.Parse("4h"));
        using var ms = new MemoryStream();
        await ParquetMarketData.WriteAsync(panel, ms);
        ms.Position = 0;
        PanelAssert.Equal(panel, await ParquetMarketData.ReadAsync(ms, "one.parquet"));
    }

    [TestMethod]
    public void Utf8LineReader_LinesLongerThanBuffer_SplitCorrectly()
    {
        var text = "short\r\n" + new string('x', 100) + "\n\nlast";
        var reader = new Utf8LineReader(new MemoryStream(Encoding.UTF8.GetBytes("\uFEFF" + text)), "t", bufferSize: 8);
        var lines = new List<string>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        CollectionAssert.AreEqual(new[] { "short", new string('x', 100), "", "last" }, lines);
        Assert.AreEqual(4L, reader.LineNumber);
    }
}
