using Microsoft.Extensions.Options;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;
using Predictive.Operator.Options;

namespace Predictive.Operator.Data;

/// <summary>
/// The configured market data, read afresh on every call: the synthetic market, a file that grows, or klines
/// downloaded from the exchange into the node's working directory and read back.
/// </summary>
public sealed class MarketDataSource(IOptions<OperatorOptions> options, IHttpClientFactory http, TimeProvider time)
{
    /// <summary>The name of the HTTP client the downloader uses.</summary>
    public const string HttpClientName = "market-data";

    /// <summary>A short description for reports.</summary>
    public string Describe()
    {
        var data = options.Value.Data;
        return data.Kind switch
        {
            "synthetic" => $"synthetic market (seed {data.Seed}, {data.Bars} bars)",
            "file" => Path.GetFileName(data.Path!),
            _ => $"{string.Join(",", data.Symbols)} {data.Interval} klines downloaded",
        };
    }

    /// <summary>Loads the current panel.</summary>
    /// <exception cref="MarketDataException">The data is malformed.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached.</exception>
    public async Task<PricePanel> LoadAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var data = o.Data;
        switch (data.Kind)
        {
            case "synthetic":
                return SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = data.Seed, Bars = data.Bars });
            case "file":
                return await MarketDataFile.ReadAsync(data.Path!, cancellationToken: cancellationToken).ConfigureAwait(false);
            default:
                var downloaderOptions = new BinanceDownloaderOptions();
                if (data.BaseUrl is { } url)
                {
                    downloaderOptions = downloaderOptions with { BaseAddress = url };
                }

                var end = time.GetUtcNow();
                var downloader = new BinanceKlineDownloader(http.CreateClient(HttpClientName), time, downloaderOptions);
                var panel = await downloader.DownloadAsync(new BinanceKlineRequest([.. data.Symbols], BarInterval.Parse(data.Interval), end.AddDays(-data.LookbackDays), end), null, cancellationToken).ConfigureAwait(false);
                var path = data.Path ?? Path.Combine(o.WorkingDirectory, "market.csv");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await MarketDataFile.WriteAsync(panel, path, cancellationToken).ConfigureAwait(false);
                return panel;
        }
    }
}
