using System.Globalization;
using System.Net;
using System.Text;
using System.Web;
using Microsoft.Extensions.Time.Testing;
using Predictive.Core.MarketData;

namespace Predictive.Core.Tests.MarketData;

[TestClass]
public sealed class BinanceKlineDownloaderTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Serves /api/v3/klines like Binance: hourly bars from <see cref="Start"/>, at most <c>limit</c> per call.</summary>
    private sealed class FakeBinance(TimeProvider time, int availableBars) : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        public Func<HttpRequestMessage, HttpResponseMessage?>? Override { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Requests.Add(request.RequestUri!);
            if (Override?.Invoke(request) is { } response)
            {
                return Task.FromResult(response);
            }

            var q = HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var from = long.Parse(q["startTime"]!, CultureInfo.InvariantCulture);
            var to = long.Parse(q["endTime"]!, CultureInfo.InvariantCulture);
            var limit = int.Parse(q["limit"]!, CultureInfo.InvariantCulture);
            var basePrice = q["symbol"] == "BTCUSDT" ? 40000 : 2000;
            var rows = new List<string>();
            for (var i = 0; i < availableBars && rows.Count < limit; i++)
            {
                var open = Start.AddHours(i);
                var openMs = open.ToUnixTimeMilliseconds();
                if (openMs < from || openMs > to || open > time.GetUtcNow())
                {
                    continue;
                }

                var close = basePrice + i;
                rows.Add(FormattableString.Invariant(
                    $"[{openMs},\"{close - 1}.00\",\"{close + 5}.00\",\"{close - 5}.00\",\"{close}.00\",\"1.5\",{openMs + 3_599_999},\"{close * 1.5}\",42,\"0.7\",\"1000\",\"0\"]"));
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("[" + string.Join(",", rows) + "]", Encoding.UTF8, "application/json") });
        }
    }

    private static (BinanceKlineDownloader Downloader, FakeBinance Server) Create(int bars, DateTimeOffset now, Func<HttpRequestMessage, HttpResponseMessage?>? fault = null)
    {
        var time = new FakeTimeProvider(now);
        var server = new FakeBinance(time, bars) { Override = fault };
        var http = new HttpClient(server);
        return (new BinanceKlineDownloader(http, time, new BinanceDownloaderOptions { BaseAddress = new Uri("https://example.test") }), server);
    }

    [TestMethod]
    public async Task DownloadAsync_2500Bars_PagesWith1000AndStartTime()
    {
        var (downloader, server) = Create(2500, Start.AddDays(400));
        var progress = new List<BinanceDownloadProgress>();
        var panel = await downloader.DownloadAsync(new BinanceKlineRequest(["BTC"], BarInterval.Hourly, Start, Start.AddDays(365)), new SyncProgress(progress.Add));

        Assert.AreEqual(3, server.Requests.Count);
        Assert.AreEqual(2500, panel.BarCount);
        Assert.AreEqual("BTC", panel.Assets[0]);
        Assert.AreEqual(40000 + 2499, panel.Close(0)[2499]);
        Assert.AreEqual((40000 + 2499) * 1.5, panel.Volume(0)[2499], "volume is the quote asset volume.");
        var second = HttpUtility.ParseQueryString(server.Requests[1].Query);
        Assert.AreEqual("BTCUSDT", second["symbol"]);
        Assert.AreEqual("1h", second["interval"]);
        Assert.AreEqual("1000", second["limit"]);
        Assert.AreEqual(Start.AddHours(999).ToUnixTimeMilliseconds() + 1, long.Parse(second["startTime"]!, CultureInfo.InvariantCulture));
        Assert.AreEqual("example.test", server.Requests[0].Host);
        Assert.AreEqual(3, progress.Count);
        Assert.AreEqual(2500, progress[^1].Klines);
    }

    [TestMethod]
    public async Task DownloadAsync_NoEnd_UsesNowAndDropsUnfinishedBar()
    {
        // Now is 10:30, so the 10:00 bar is still forming: bars 00:00..09:00 are complete.
        var (downloader, server) = Create(100, Start.AddHours(10.5));
        var panel = await downloader.DownloadAsync(new BinanceKlineRequest(["ETH", "BTCUSDT"], BarInterval.Hourly, Start));
        CollectionAssert.AreEqual(new[] { "BTC", "ETH" }, panel.Assets.ToArray());
        Assert.AreEqual(10, panel.BarCount);
        Assert.AreEqual(Start.AddHours(9), panel.End);
        var endTime = long.Parse(HttpUtility.ParseQueryString(server.Requests[0].Query)["endTime"]!, CultureInfo.InvariantCulture);
        Assert.AreEqual(Start.AddHours(10.5).ToUnixTimeMilliseconds(), endTime);
    }

    [TestMethod]
    public async Task DownloadAsync_HttpError_ReportsStatusAndBody()
    {
        var (downloader, _) = Create(10, Start.AddDays(1), _ => new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}"),
        });
        var ex = await Assert.ThrowsExactlyAsync<MarketDataException>(() => downloader.DownloadAsync(new BinanceKlineRequest(["NOPE"], BarInterval.Hourly, Start)));
        Assert.Contains("HTTP 400", ex.Message);
        Assert.Contains("Invalid symbol.", ex.Message);
        Assert.Contains("symbol=NOPEUSDT", ex.Message);
    }

    [TestMethod]
    [DataRow("[[1704067200000,\"1\"", "malformed JSON")]
    [DataRow("[[\"x\"]]", "unexpected kline data")]
    public async Task DownloadAsync_MalformedBody_Throws(string body, string problem)
    {
        var (downloader, _) = Create(10, Start.AddDays(1), _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body) });
        var ex = await Assert.ThrowsExactlyAsync<MarketDataException>(() => downloader.DownloadAsync(new BinanceKlineRequest(["BTC"], BarInterval.Hourly, Start)));
        Assert.Contains(problem, ex.Message);
    }

    [TestMethod]
    public async Task DownloadAsync_Cancelled_Throws()
    {
        var (downloader, server) = Create(10, Start.AddDays(1));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => downloader.DownloadAsync(new BinanceKlineRequest(["BTC"], BarInterval.Hourly, Start), null, cts.Token));
        Assert.AreEqual(0, server.Requests.Count);
    }

    [TestMethod]
    public async Task DownloadAsync_UnsupportedInterval_Throws()
    {
        var (downloader, _) = Create(10, Start.AddDays(1));
        var ex = await Assert.ThrowsExactlyAsync<ArgumentException>(() => downloader.DownloadAsync(new BinanceKlineRequest(["BTC"], BarInterval.Parse("7m"), Start)));
        Assert.Contains("no 7m klines", ex.Message);
    }

    [TestMethod]
    public async Task DownloadAsync_NoBarsInRange_Throws()
    {
        var (downloader, _) = Create(0, Start.AddDays(1));
        var ex = await Assert.ThrowsExactlyAsync<MarketDataException>(() => downloader.DownloadAsync(new BinanceKlineRequest(["BTC"], BarInterval.Hourly, Start)));
        Assert.Contains("no closed 1h klines", ex.Message);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would make the test racy).</summary>
    private sealed class SyncProgress(Action<BinanceDownloadProgress> report) : IProgress<BinanceDownloadProgress>
    {
        public void Report(BinanceDownloadProgress value) => report(value);
    }
}
