using System.Globalization;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Service.Api;

/// <summary>
/// Builds a portfolio's features from its price history with the model's feature spec, through the same Core code as
/// training: a <see cref="PricePanel"/> over the sent bars, <see cref="FeatureBuilder.Build"/>, and the last bar.
/// </summary>
internal static class PriceFeatures
{
    /// <summary>Returns [assets, features] at the last bar, or null after adding errors under <paramref name="field"/>.</summary>
    public static float[]? Build(PriceHistory prices, IReadOnlyList<string> assets, FeatureSpec spec, string modelKey, int maxBars, string field, FieldErrors errors)
    {
        var timestamps = prices.Timestamps;
        if (timestamps is null || timestamps.Length == 0)
        {
            errors.Add($"{field}.timestamps", "Required: at least one bar time.");
            return null;
        }

        if (timestamps.Length > maxBars)
        {
            errors.Add($"{field}.timestamps", Invariant($"Has {timestamps.Length} bars; the limit is {maxBars} (Predictive:MaxPriceBars)."));
            return null;
        }

        for (var t = 1; t < timestamps.Length; t++)
        {
            if (timestamps[t] <= timestamps[t - 1])
            {
                errors.Add(Invariant($"{field}.timestamps[{t}]"), Invariant($"{timestamps[t]:O} is not after timestamps[{t - 1}]; bar times must increase strictly."));
                return null;
            }
        }

        var close = Series(prices.Close, "close", assets, timestamps.Length, field, errors, required: true, positive: true);
        double[][]? volume = null;
        if (spec.UsesVolume || prices.Volume is not null)
        {
            if (prices.Volume is null)
            {
                var names = string.Join(", ", spec.Features.Where(f => f.UsesVolume).Select(f => f.Name));
                errors.Add($"{field}.volume", $"Required: the feature spec of model '{modelKey}' uses volume ({names}).");
                return null;
            }

            volume = Series(prices.Volume, "volume", assets, timestamps.Length, field, errors, required: true, positive: false);
        }

        if (close is null || (spec.UsesVolume && volume is null))
        {
            return null;
        }

        var times = timestamps.Select(t => t.ToUniversalTime()).ToArray();
        var interval = times.Length > 1 ? new BarInterval(times[1] - times[0]) : BarInterval.Daily;
        var panel = new PricePanel(times, [.. assets], interval, close, volume: volume);
        var frame = FeatureBuilder.Build(panel, spec);
        var last = frame.BarCount - 1;
        var row = frame.Row(last).ToArray();
        var f = frame.FeatureCount;
        var ok = true;
        for (var a = 0; a < assets.Count; a++)
        {
            if (frame.IsAvailable(last, a))
            {
                continue;
            }

            var undefined = Enumerable.Range(0, f).Where(k => !double.IsFinite(row[(a * f) + k])).Select(k => spec.FeatureNames[k]).ToList();
            var why = undefined.Count > 0
                ? $"At the last bar the features {string.Join(", ", undefined)} are undefined: send more history (a longer window needs more bars)."
                : "Has no positive price at the last bar.";
            errors.Add($"{field}.close.{assets[a]}", why);
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        var features = new float[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            features[i] = (float)row[i];
        }

        return features;
    }

    private static double[][]? Series(Dictionary<string, double?[]?>? series, string name, IReadOnlyList<string> assets, int bars, string field, FieldErrors errors, bool required, bool positive)
    {
        if (series is null)
        {
            if (required)
            {
                errors.Add($"{field}.{name}", "Required: one series per asset.");
            }

            return null;
        }

        var result = new double[assets.Count][];
        var ok = true;
        foreach (var key in series.Keys.Where(k => !assets.Contains(k)))
        {
            errors.Add($"{field}.{name}.{key}", "Is not one of the portfolio's assets.");
            ok = false;
        }

        for (var a = 0; a < assets.Count; a++)
        {
            var path = $"{field}.{name}.{assets[a]}";
            if (!series.TryGetValue(assets[a], out var values) || values is null)
            {
                errors.Add(path, "Missing: every asset needs a series.");
                ok = false;
                continue;
            }

            if (values.Length != bars)
            {
                errors.Add(path, Invariant($"Has {values.Length} values; timestamps has {bars}."));
                ok = false;
                continue;
            }

            var column = new double[bars];
            for (var t = 0; t < bars; t++)
            {
                var v = values[t] ?? double.NaN;
                if (values[t] is { } x && (!double.IsFinite(x) || (positive ? x <= 0 : x < 0)))
                {
                    errors.Add(Invariant($"{path}[{t}]"), positive ? "Must be a finite price > 0 (or null where there is none)." : "Must be finite and ≥ 0 (or null).");
                    ok = false;
                    break;
                }

                column[t] = v;
            }

            result[a] = column;
        }

        return ok ? result : null;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
