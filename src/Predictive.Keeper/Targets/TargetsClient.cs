using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Predictive.Core.MarketData;

namespace Predictive.Keeper.Targets;

/// <summary>Target weights from the service, with the model that produced them.</summary>
/// <param name="Model">The model's <c>name/version</c>.</param>
/// <param name="Sha256">The SHA-256 of its ONNX file, as the response names it.</param>
/// <param name="Weights">Asset symbol → weight (the service's weights sum to 1 over the assets).</param>
public sealed record ServiceTargets(string Model, string Sha256, IReadOnlyDictionary<string, double> Weights);

/// <summary>The service refused the request; <see cref="MissingVolume"/> says it was for want of volume.</summary>
public sealed class TargetsRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TargetsRefusedException(string message, bool missingVolume, Exception? inner = null)
        : base(message, inner) => MissingVolume = missingVolume;

    /// <summary>The model's features use volume and the market data has none.</summary>
    public bool MissingVolume { get; }
}

/// <summary>
/// <c>POST /v1/targets</c> for one portfolio: the vault's assets and current weights and the market data's bars
/// (timestamps, closes, volumes); the service builds the features with the model's spec and answers the weights and
/// the model (name, version, SHA-256).
/// </summary>
public sealed class TargetsClient(HttpClient http)
{
    /// <summary>Asks for the targets of <paramref name="portfolio"/>.</summary>
    /// <param name="portfolio">The portfolio id (selects its active model).</param>
    /// <param name="model">A model name/version, or null.</param>
    /// <param name="currentWeights">Asset → weight held now (cash excluded).</param>
    /// <param name="bars">The market data window, assets in the vault's order.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="TargetsRefusedException">The service answered an error, or an answer that is not targets.</exception>
    public async Task<ServiceTargets> GetAsync(string portfolio, string? model, IReadOnlyDictionary<string, double> currentWeights, PricePanel bars, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(currentWeights);
        ArgumentNullException.ThrowIfNull(bars);
        var assets = bars.Assets;
        var timestamps = bars.Timestamps.ToArray();
        var close = assets.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => Series(bars.Close(p.i), bars.Observed(p.i)), StringComparer.Ordinal);
        var volume = bars.HasVolume
            ? assets.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => Series(bars.Volume(p.i), bars.Observed(p.i)), StringComparer.Ordinal)
            : null;
        var body = new
        {
            portfolios = new[]
            {
                new
                {
                    id = portfolio,
                    assets,
                    currentWeights = assets.Select(a => currentWeights.GetValueOrDefault(a)).ToArray(),
                    prices = new { timestamps, close, volume },
                    model,
                },
            },
        };
        using var response = await http.PostAsJsonAsync("v1/targets", body, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Refusal(response, text);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var result = doc.RootElement.GetProperty("targets")[0];
            var m = result.GetProperty("model");
            var names = result.GetProperty("assets").EnumerateArray().Select(e => e.GetString()!).ToList();
            var weights = result.GetProperty("weights").EnumerateArray().Select(e => e.GetDouble()).ToList();
            if (names.Count != weights.Count || !names.SequenceEqual(assets))
            {
                throw new TargetsRefusedException($"the service answered targets for {string.Join(", ", names)}, not the vault's {string.Join(", ", assets)}.", false);
            }

            return new ServiceTargets(
                $"{m.GetProperty("name").GetString()}/{m.GetProperty("version").GetString()}", m.GetProperty("sha256").GetString()!,
                names.Zip(weights).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new TargetsRefusedException($"the service's answer is not a targets response: {e.Message}", false, e);
        }
    }

    private static double?[] Series(ReadOnlySpan<double> values, ReadOnlySpan<bool> observed)
    {
        var s = new double?[values.Length];
        for (var t = 0; t < s.Length; t++)
        {
            s[t] = observed[t] && double.IsFinite(values[t]) ? values[t] : null;
        }

        return s;
    }

    private static TargetsRefusedException Refusal(HttpResponseMessage response, string text)
    {
        var status = string.Create(CultureInfo.InvariantCulture, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        var detail = text;
        var missingVolume = false;
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                var lines = errors.EnumerateObject().Select(p => $"{p.Name}: {string.Join(" ", p.Value.EnumerateArray().Select(v => v.GetString()))}").ToList();
                missingVolume = errors.EnumerateObject().Any(p => p.Name.EndsWith(".volume", StringComparison.Ordinal));
                detail = string.Join("; ", lines);
            }
            else if (doc.RootElement.TryGetProperty("detail", out var d))
            {
                detail = d.GetString() ?? text;
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the raw text is the detail.
        }

        return new TargetsRefusedException($"the targets service answered {status}: {detail}", missingVolume);
    }
}
