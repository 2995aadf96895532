using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Predictive.Core.MarketData;

namespace Predictive.Keeper.Tests.Support;

/// <summary>
/// An exchange's public kline endpoint (<c>GET /api/v3/klines</c>, Binance's format) on Kestrel, serving a panel's bars
/// (quote volume = the panel's volume), so the keeper's exchange source runs its real downloader over HTTP.
/// </summary>
internal sealed class FakeExchange : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeExchange(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public int Requests { get; private set; }

    public static async Task<FakeExchange> StartAsync(PricePanel panel)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeExchange? self = null;
        app.MapGet("/api/v3/klines", (HttpContext http) =>
        {
            self!.Requests++;
            var q = http.Request.Query;
            var symbol = q["symbol"].ToString();
            var asset = symbol.EndsWith("USDT", StringComparison.Ordinal) ? symbol[..^4] : symbol;
            if (!panel.TryGetIndex(asset, out var a))
            {
                return Results.BadRequest(new { code = -1121, msg = "Invalid symbol." });
            }

            var start = long.Parse(q["startTime"]!, CultureInfo.InvariantCulture);
            var end = long.Parse(q["endTime"]!, CultureInfo.InvariantCulture);
            var limit = int.Parse(q["limit"]!, CultureInfo.InvariantCulture);
            var length = (long)panel.Interval.Length.TotalMilliseconds;
            var rows = new List<object[]>();
            for (var t = 0; t < panel.BarCount && rows.Count < limit; t++)
            {
                var open = panel.Timestamps[t].ToUnixTimeMilliseconds();
                if (open < start || open > end)
                {
                    continue;
                }

                var c = panel.Close(a)[t].ToString("R", CultureInfo.InvariantCulture);
                var v = panel.Volume(a)[t].ToString("R", CultureInfo.InvariantCulture);
                rows.Add([open, c, c, c, c, "0", open + length - 1, v, 1, "0", "0", "0"]);
            }

            return Results.Json(rows);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new FakeExchange(app, new Uri(address));
        return self;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
