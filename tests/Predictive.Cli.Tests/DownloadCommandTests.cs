using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Predictive.Cli.Tests;

/// <summary>
/// <c>data download</c> end to end against a loopback HTTP server that answers <c>GET /api/v3/klines</c> in Binance's
/// documented format (the real exchange is not reachable here).
/// </summary>
[TestClass]
public sealed class DownloadCommandTests
{
    private static readonly DateTimeOffset First = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task DataDownload_LoopbackExchange_WritesPanelReadableByInspect()
    {
        using var server = new KlineServer(days: 1500);
        var path = Path.Combine(Path.GetTempPath(), $"download-{Guid.NewGuid():N}.csv");
        try
        {
            var (exit, stdout, stderr) = await CliRunner.RunAsync(
                "data", "download", "--exchange", "binance", "--symbols", "BTC,ETH", "--interval", "1d",
                "--start", "2020-01-01", "--end", First.AddDays(1499).ToString("O", CultureInfo.InvariantCulture),
                "--out", path, "--base-url", server.BaseAddress);

            Assert.AreEqual(0, exit, stderr);
            Assert.Contains("2 assets × 1500 bars", stdout);
            Assert.Contains("pages", stderr, "progress is reported");
            Assert.IsGreaterThanOrEqualTo(4, server.Requests, "1,500 daily bars need two pages of 1,000 per symbol");

            var inspect = await CliRunner.RunAsync("data", "inspect", path, "--json");
            Assert.AreEqual(0, inspect.Exit, inspect.Err);
            Assert.Contains("\"bars\":1500", inspect.Out);
            Assert.Contains("\"assets\":[\"BTC\",\"ETH\"]", inspect.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public async Task DataDownload_NodeRefusesConnection_FailsNamingTheAddress()
    {
        var port = FreePort();
        var (exit, _, stderr) = await CliRunner.RunAsync(
            "data", "download", "--symbols", "BTC", "--out", Path.Combine(Path.GetTempPath(), "never.csv"), "--base-url", $"http://127.0.0.1:{port}/");

        Assert.AreEqual(1, exit);
        Assert.Contains($"127.0.0.1:{port}", stderr);
    }

    [TestMethod]
    public async Task DataDownload_UnsupportedExchange_Fails()
    {
        var (exit, _, stderr) = await CliRunner.RunAsync("data", "download", "--exchange", "kraken", "--symbols", "BTC", "--out", "x.csv");

        Assert.AreEqual(1, exit);
        Assert.Contains("kraken", stderr);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Serves deterministic daily klines from <see cref="First"/>, honouring startTime, endTime and limit.</summary>
    private sealed class KlineServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly int _days;
        private readonly Task _loop;
        private int _requests;

        public KlineServer(int days)
        {
            _days = days;
            var port = FreePort();
            BaseAddress = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(BaseAddress);
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string BaseAddress { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener was closed under a pending accept; that ends the loop.
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                var q = ctx.Request.QueryString;
                var symbol = q["symbol"] ?? "";
                var start = long.Parse(q["startTime"] ?? "0", CultureInfo.InvariantCulture);
                var end = q["endTime"] is { } e ? long.Parse(e, CultureInfo.InvariantCulture) : long.MaxValue;
                var limit = int.Parse(q["limit"] ?? "500", CultureInfo.InvariantCulture);
                var basePrice = symbol.StartsWith("BTC", StringComparison.Ordinal) ? 40_000.0 : 2_000.0;
                var rows = new List<string>();
                for (var d = 0; d < _days && rows.Count < limit; d++)
                {
                    var open = First.AddDays(d).ToUnixTimeMilliseconds();
                    if (open < start || open > end)
                    {
                        continue;
                    }

                    var close = basePrice * (1 + (0.01 * Math.Sin(d / 7.0)));
                    var o = close * 0.999;
                    rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"[{open},\"{o:F2}\",\"{close * 1.01:F2}\",\"{o * 0.99:F2}\",\"{close:F2}\",\"12.5\",{open + 86_399_999},\"{12.5 * close:F2}\",100,\"6.0\",\"{6 * close:F2}\",\"0\"]"));
                }

                var body = Encoding.UTF8.GetBytes("[" + string.Join(",", rows) + "]");
                ctx.Response.ContentType = "application/json";
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        }
    }
}
