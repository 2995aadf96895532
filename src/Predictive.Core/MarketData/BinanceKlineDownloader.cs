using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Predictive.Core.MarketData;

/// <summary>Settings of <see cref="BinanceKlineDownloader"/>.</summary>
public sealed record BinanceDownloaderOptions
{
    /// <summary>The REST base address. The default value is <c>https://api.binance.com</c>.</summary>
    public Uri BaseAddress { get; init; } = new("https://api.binance.com");

    /// <summary>The quote asset appended to a symbol (BTC → BTCUSDT). The default value is <c>USDT</c>.</summary>
    public string QuoteAsset { get; init; } = "USDT";

    /// <summary>Klines asked for per request; Binance allows at most 1000. The default value is 1000.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>The missing-data rule for the assembled panel.</summary>
    public MissingDataPolicy Policy { get; init; } = MissingDataPolicy.Default;
}

/// <summary>What to download.</summary>
/// <param name="Symbols">Base assets such as BTC and ETH (the quote asset is appended), or full pairs such as BTCUSDT.</param>
/// <param name="Interval">The bar interval; one Binance supports (1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w).</param>
/// <param name="Start">The first bar-open time wanted (inclusive).</param>
/// <param name="End">The last bar-open time wanted (inclusive); now when null.</param>
public sealed record BinanceKlineRequest(IReadOnlyList<string> Symbols, BarInterval Interval, DateTimeOffset Start, DateTimeOffset? End = null);

/// <summary>Progress of a download: the symbol being fetched, pages and klines so far for it, and how far it has got.</summary>
public sealed record BinanceDownloadProgress(string Symbol, int SymbolIndex, int SymbolCount, int Pages, int Klines, DateTimeOffset ReachedTime);

/// <summary>
/// Downloads klines from Binance's public REST endpoint <c>GET /api/v3/klines</c>, paging with <c>startTime</c> and
/// <c>limit</c>, and assembles them with <see cref="PanelBuilder"/>. Only closed bars are kept: a kline whose close time
/// is after "now" (from the <see cref="TimeProvider"/>) is still forming and is dropped.
/// </summary>
/// <remarks>The <see cref="HttpClient"/> is injected so the host can add resilience (retries, rate limits) through its handler pipeline.</remarks>
public sealed class BinanceKlineDownloader
{
    private static readonly HashSet<string> SupportedIntervals = new(StringComparer.Ordinal)
    {
        "1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w",
    };

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly BinanceDownloaderOptions _options;

    /// <summary>Creates a downloader.</summary>
    /// <param name="http">The client that sends the requests.</param>
    /// <param name="time">The clock for the default end and for dropping unfinished bars; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="options">Base address, quote asset and page size; the defaults when null.</param>
    public BinanceKlineDownloader(HttpClient http, TimeProvider? time = null, BinanceDownloaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _time = time ?? TimeProvider.System;
        _options = options ?? new BinanceDownloaderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.PageSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.PageSize, 1000, nameof(options));
    }

    /// <summary>Downloads every symbol of the request into one panel (symbol names without the quote asset).</summary>
    /// <exception cref="ArgumentException">The request is invalid (no symbols, unsupported interval, end before start).</exception>
    /// <exception cref="MarketDataException">An HTTP error (status and the start of the body) or malformed JSON.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<PricePanel> DownloadAsync(BinanceKlineRequest request, IProgress<BinanceDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var end = request.End ?? now;
        var interval = request.Interval.ToString();
        if (request.Symbols is null || request.Symbols.Count == 0 || request.Symbols.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one symbol, none blank.", nameof(request));
        }

        if (!SupportedIntervals.Contains(interval))
        {
            throw new ArgumentException($"Binance has no {interval} klines; use one of {string.Join(", ", SupportedIntervals)}.", nameof(request));
        }

        if (end < request.Start)
        {
            throw new ArgumentException($"The end {end:O} is before the start {request.Start:O}.", nameof(request));
        }

        var builder = new PanelBuilder(_options.BaseAddress.ToString(), hasOhlc: true, hasVolume: true, _options.Policy);
        for (var s = 0; s < request.Symbols.Count; s++)
        {
            var (pair, symbol) = Pair(request.Symbols[s]);
            var startMs = request.Start.ToUnixTimeMilliseconds();
            var endMs = end.ToUnixTimeMilliseconds();
            int pages = 0, klines = 0;
            while (startMs <= endMs)
            {
                var url = new Uri(_options.BaseAddress, string.Create(CultureInfo.InvariantCulture,
                    $"/api/v3/klines?symbol={Uri.EscapeDataString(pair)}&interval={interval}&startTime={startMs}&endTime={endMs}&limit={_options.PageSize}"));
                var page = await GetPageAsync(url, cancellationToken);
                pages++;
                foreach (var k in page)
                {
                    if (k.OpenTime > end || k.CloseTime > now)
                    {
                        continue;
                    }

                    k.AddTo(builder, ++klines, symbol);
                }

                progress?.Report(new BinanceDownloadProgress(symbol, s, request.Symbols.Count, pages, klines, page.Count > 0 ? page[^1].OpenTime : end));
                if (page.Count < _options.PageSize)
                {
                    break;
                }

                // The next page starts just after the last bar received, so no bar is fetched twice.
                var next = page[^1].OpenTime.ToUnixTimeMilliseconds() + 1;
                if (next <= startMs)
                {
                    throw new MarketDataException(url.ToString(), null, "the server returned klines that do not advance in time; stopping to avoid a loop.");
                }

                startMs = next;
            }
        }

        if (builder.RowCount == 0)
        {
            throw new MarketDataException(_options.BaseAddress.ToString(), null,
                $"no closed {interval} klines between {request.Start:O} and {end:O} for {string.Join(", ", request.Symbols)}.");
        }

        return builder.Build(request.Interval);
    }

    private (string Pair, string Symbol) Pair(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        var quote = _options.QuoteAsset.ToUpperInvariant();
        return upper.Length > quote.Length && upper.EndsWith(quote, StringComparison.Ordinal)
            ? (upper, upper[..^quote.Length])
            : (upper + quote, upper);
    }

    private async Task<List<BinanceKline>> GetPageAsync(Uri url, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var snippet = body.Length > 300 ? body[..300] + "…" : body;
            throw new MarketDataException(url.ToString(), null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {snippet}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            using var doc = await JsonDocument.ParseAsync(stream, default, cancellationToken);
            return BinanceKline.FromJsonArray(doc.RootElement);
        }
        catch (JsonException ex)
        {
            throw new MarketDataException(url.ToString(), null, $"malformed JSON in the response: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new MarketDataException(url.ToString(), null, $"unexpected kline data in the response: {ex.Message}", ex);
        }
    }
}
