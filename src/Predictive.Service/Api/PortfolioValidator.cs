using System.Globalization;
using Predictive.Onnx.Inference;
using Predictive.Service.Options;

namespace Predictive.Service.Api;

/// <summary>The checks of a targets request: first those that need no model, then those against the chosen model.</summary>
internal static class PortfolioValidator
{
    /// <summary>How far above 1 the current weights may sum (rounding in the client).</summary>
    public const double WeightSumSlack = 1e-6;

    public static void CheckShape(TargetsRequest request, ServiceOptions options, FieldErrors errors)
    {
        var portfolios = request.Portfolios;
        if (portfolios is null || portfolios.Count == 0)
        {
            errors.Add("portfolios", "Required: at least one portfolio.");
            return;
        }

        if (portfolios.Count > options.MaxPortfolios)
        {
            errors.Add("portfolios", Invariant($"Has {portfolios.Count} portfolios; the limit per request is {options.MaxPortfolios} (Predictive:MaxPortfolios)."));
            return;
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < portfolios.Count; i++)
        {
            var field = Invariant($"portfolios[{i}]");
            var p = portfolios[i];
            if (p is null)
            {
                errors.Add(field, "Is null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(p.Id))
            {
                errors.Add($"{field}.id", "Required.");
            }
            else if (!ids.TryAdd(p.Id, i))
            {
                errors.Add($"{field}.id", Invariant($"'{p.Id}' repeats portfolios[{ids[p.Id]}].id; ids must be distinct."));
            }

            var n = CheckAssets(p, options, field, errors);
            CheckWeights(p, n, field, errors);
            CheckFeatures(p, n, field, errors);
        }
    }

    /// <summary>Checks the model-dependent parts; returns the features, or null after adding errors.</summary>
    public static float[]? FeaturesFor(PortfolioRequest p, OnnxAllocatorModel model, ServiceOptions options, string field, FieldErrors errors)
    {
        var assets = p.Assets!.Select(a => a!).ToArray();
        if (model.FixedAssets is { } fixedAssets && !fixedAssets.SequenceEqual(assets, StringComparer.Ordinal))
        {
            errors.Add($"{field}.assets", $"Model '{model.Key}' takes exactly these assets, in this order: {string.Join(", ", fixedAssets)}.");
            return null;
        }

        if (p.Prices is not null)
        {
            return PriceFeatures.Build(p.Prices, assets, model.FeatureSpec, model.Key, options.MaxPriceBars, $"{field}.prices", errors);
        }

        var f = model.FeatureCount;
        var features = new float[assets.Length * f];
        var ok = true;
        for (var a = 0; a < assets.Length; a++)
        {
            var row = p.Features![a]!;
            if (row.Length != f)
            {
                errors.Add(Invariant($"{field}.features[{a}]"), Invariant($"Has {row.Length} values; model '{model.Key}' takes {f} features: {string.Join(", ", model.FeatureSpec.FeatureNames)}."));
                ok = false;
                continue;
            }

            for (var k = 0; k < f; k++)
            {
                var x = row[k];
                if (!double.IsFinite(x) || Math.Abs(x) > float.MaxValue)
                {
                    errors.Add(Invariant($"{field}.features[{a}][{k}]"), "Must be a finite number within float32 range.");
                    ok = false;
                    break;
                }

                features[(a * f) + k] = (float)x;
            }
        }

        return ok ? features : null;
    }

    private static int CheckAssets(PortfolioRequest p, ServiceOptions options, string field, FieldErrors errors)
    {
        if (p.Assets is null || p.Assets.Count == 0)
        {
            errors.Add($"{field}.assets", "Required: at least one asset symbol.");
            return -1;
        }

        if (p.Assets.Count > options.MaxAssets)
        {
            errors.Add($"{field}.assets", Invariant($"Has {p.Assets.Count} assets; the limit is {options.MaxAssets} (Predictive:MaxAssets)."));
            return -1;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var a = 0; a < p.Assets.Count; a++)
        {
            var symbol = p.Assets[a];
            if (string.IsNullOrWhiteSpace(symbol))
            {
                errors.Add(Invariant($"{field}.assets[{a}]"), "Must be a non-empty symbol.");
                return -1;
            }

            if (!seen.Add(symbol))
            {
                errors.Add(Invariant($"{field}.assets[{a}]"), $"'{symbol}' is listed twice.");
                return -1;
            }
        }

        return p.Assets.Count;
    }

    private static void CheckWeights(PortfolioRequest p, int n, string field, FieldErrors errors)
    {
        var w = p.CurrentWeights;
        if (w is null)
        {
            errors.Add($"{field}.currentWeights", "Required: one weight per asset (zeros for an all-cash portfolio).");
            return;
        }

        if (n >= 0 && w.Length != n)
        {
            errors.Add($"{field}.currentWeights", Invariant($"Has {w.Length} values; assets has {n}."));
            return;
        }

        double sum = 0;
        for (var a = 0; a < w.Length; a++)
        {
            if (!double.IsFinite(w[a]) || w[a] < 0)
            {
                errors.Add(Invariant($"{field}.currentWeights[{a}]"), "Must be finite and ≥ 0.");
                return;
            }

            sum += w[a];
        }

        if (sum > 1 + WeightSumSlack)
        {
            errors.Add($"{field}.currentWeights", Invariant($"Sums to {sum:R}; weights must sum to at most 1 (the rest is cash)."));
        }
    }

    private static void CheckFeatures(PortfolioRequest p, int n, string field, FieldErrors errors)
    {
        if (p.Features is not null && p.Prices is not null)
        {
            errors.Add(field, "Send either features or prices, not both.");
            return;
        }

        if (p.Features is null)
        {
            if (p.Prices is null)
            {
                errors.Add($"{field}.features", "Required: features [assets][features], or prices from which the service builds them.");
            }

            return;
        }

        if (n >= 0 && p.Features.Length != n)
        {
            errors.Add($"{field}.features", Invariant($"Has {p.Features.Length} rows; assets has {n}. Send one row per asset."));
            return;
        }

        for (var a = 0; a < p.Features.Length; a++)
        {
            if (p.Features[a] is null)
            {
                errors.Add(Invariant($"{field}.features[{a}]"), "Is null; send the asset's features.");
                return;
            }
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
