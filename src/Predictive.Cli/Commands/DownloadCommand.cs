using System.CommandLine;
using System.Globalization;
using Predictive.Core.MarketData;

namespace Predictive.Cli.Commands;

/// <summary><c>predictive data download</c>: public exchange klines to a local file.</summary>
public static class DownloadCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var exchange = new Option<string>("--exchange") { Description = "The exchange (binance).", DefaultValueFactory = _ => "binance" };
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated base assets, e.g. BTC,ETH,SOL.", Required = true };
        var interval = new Option<string>("--interval") { Description = "Bar interval (1m … 1w).", DefaultValueFactory = _ => "1d" };
        var start = new Option<string?>("--start") { Description = "First bar, ISO-8601 (default: 365 days before --end)." };
        var end = new Option<string?>("--end") { Description = "Last bar, ISO-8601 (default: now)." };
        var quote = new Option<string>("--quote") { Description = "Quote asset of the pairs.", DefaultValueFactory = _ => "USDT" };
        var output = new Option<string>("--out") { Description = "Output file; .csv (long format) or .parquet.", Required = true };
        var baseUrl = new Option<string?>("--base-url") { Description = "API base address (default https://api.binance.com); for mirrors and tests." };
        var cmd = new Command("download", "Download public exchange klines into a market data file.")
        {
            exchange, symbols, interval, start, end, quote, output, baseUrl,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(exchange)!;
            if (!string.Equals(name, "binance", StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"--exchange '{name}' is not supported; supported: binance.");
            }

            var outPath = parse.GetValue(output)!;
            var extension = Path.GetExtension(outPath).ToLowerInvariant();
            if (extension is not (".csv" or ".parquet" or ".pq"))
            {
                throw new CliException($"--out '{outPath}': use a .csv or .parquet file name.");
            }

            var list = parse.GetValue(symbols)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var endTime = AllocateCommand.ParseTime(parse.GetValue(end)) ?? context.Time.GetUtcNow();
            var startTime = AllocateCommand.ParseTime(parse.GetValue(start)) ?? endTime.AddDays(-365);
            var options = new BinanceDownloaderOptions { QuoteAsset = parse.GetValue(quote)! };
            if (parse.GetValue(baseUrl) is { } url)
            {
                options = options with { BaseAddress = new Uri(url) };
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var downloader = new BinanceKlineDownloader(http, context.Time, options);
            var progress = new SyncProgress<BinanceDownloadProgress>(p => context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {p.Symbol} ({p.SymbolIndex + 1}/{p.SymbolCount}): {p.Pages} pages, {p.Klines} klines, up to {DataSources.Iso(p.ReachedTime)}")));
            await context.Error.WriteLineAsync($"Downloading {string.Join(", ", list)} {parse.GetValue(interval)} klines from {options.BaseAddress} …").ConfigureAwait(false);
            PricePanel panel;
            try
            {
                panel = await downloader.DownloadAsync(new BinanceKlineRequest(list, BarInterval.Parse(parse.GetValue(interval)!), startTime, endTime), progress, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CliException($"cannot reach {options.BaseAddress}: {ex.Message}. Check the network or --base-url.");
            }

            await MarketDataFile.WriteAsync(panel, outPath, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Wrote {panel.AssetCount} assets × {panel.BarCount} bars to {outPath}").ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }
}
