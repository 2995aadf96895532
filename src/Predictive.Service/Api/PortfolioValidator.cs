using System.Globalization;
using System.Runtime.CompilerServices;
using Predictive.Onnx.Inference;
using Predictive.Service.Api.Parsing;
using Predictive.Service.Options;

namespace Predictive.Service.Api;

/// <summary>
/// The checks of a parsed targets request: first those that need no model, then those against the chosen model.
/// Field names are built only for errors, so a valid batch costs no strings.
/// </summary>
internal static class PortfolioValidator
{
    /// <summary>How far above 1 the current weights may sum (rounding in the client).</summary>
    public const double WeightSumSlack = 1e-6;

    // Below this many symbols a pairwise comparison is cheaper than a hash set.
    private const int PairwiseAssets = 32;

    public static void CheckShape(PortfolioBatch batch, ServiceOptions options, FieldErrors errors)
    {
        var count = batch.PortfolioCount;
        if (!batch.HasPortfolios || count == 0)
        {
            errors.Add("portfolios", "Required: at least one portfolio.");
            return;
        }

        if (count > options.MaxPortfolios)
        {
            errors.Add("portfolios", Invariant($"Has {count} portfolios; the limit per request is {options.MaxPortfolios} (Predictive:MaxPortfolios)."));
            return;
        }

        var portfolios = batch.Entries.Span;
        var ids = portfolios.Length > 1 ? new Dictionary<string, int>(portfolios.Length, StringComparer.Ordinal) : null;
        string?[]? checkedAssets = null;
        for (var i = 0; i < portfolios.Length; i++)
        {
            ref readonly var p = ref portfolios[i];
            if (p.IsNull)
            {
                errors.Add(Field(i), "Is null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(p.Id))
            {
                errors.Add(Field(i, ".id"), "Required.");
            }
            else if (ids is not null && !ids.TryAdd(p.Id, i))
            {
                errors.Add(Field(i, ".id"), Invariant($"'{p.Id}' repeats portfolios[{ids[p.Id]}].id; ids must be distinct."));
            }

            // Portfolios of a batch often share one asset list (the parser reuses it); it is checked once.
            int n;
            if (p.Assets is not null && ReferenceEquals(p.Assets, checkedAssets))
            {
                n = p.Assets.Length;
            }
            else
            {
                n = CheckAssets(p.Assets, options, i, errors);
                checkedAssets = n >= 0 ? p.Assets : null;
            }

            CheckWeights(batch, p, n, i, errors);
            CheckFeatures(batch, p, n, i, errors);
        }
    }

    /// <summary>The validated symbols of a portfolio that passed <see cref="CheckShape"/>.</summary>
    public static string[] Symbols(in PortfolioEntry p) => Unsafe.As<string[]>(p.Assets!);

    /// <summary>
    /// Checks the model-dependent parts of portfolio <paramref name="i"/>; returns its features [assets, features]
    /// (a slice of the batch when sent, so no copy), or null after adding errors.
    /// </summary>
    public static ReadOnlyMemory<float>? FeaturesFor(PortfolioBatch batch, in PortfolioEntry p, int i, OnnxAllocatorModel model, ServiceOptions options, FieldErrors errors)
    {
        var assets = Symbols(p);
        if (model.FixedAssets is { } fixedAssets && !fixedAssets.SequenceEqual(assets, StringComparer.Ordinal))
        {
            errors.Add(Field(i, ".assets"), $"Model '{model.Key}' takes exactly these assets, in this order: {string.Join(", ", fixedAssets)}.");
            return null;
        }

        if (p.Prices is not null)
        {
            var built = PriceFeatures.Build(p.Prices, assets, model.FeatureSpec, model.Key, options.MaxPriceBars, Field(i, ".prices"), errors);
            return built is null ? null : built;
        }

        var f = model.FeatureCount;
        if (p.Width == f && !p.HasNonFinite)
        {
            return batch.FeaturesOf(p, f);
        }

        // Some row has another width or a value the model cannot take: name each such row.
        var widths = batch.RowWidths.Span.Slice(p.RowsStart, p.RowCount);
        var values = batch.Features.Span;
        var offset = p.FeaturesStart;
        var ok = true;
        for (var a = 0; a < widths.Length; offset += Math.Max(widths[a], 0), a++)
        {
            if (widths[a] != f)
            {
                errors.Add(Field(i, Invariant($".features[{a}]")), Invariant($"Has {widths[a]} values; model '{model.Key}' takes {f} features: {string.Join(", ", model.FeatureSpec.FeatureNames)}."));
                ok = false;
                continue;
            }

            for (var k = 0; k < f; k++)
            {
                if (!float.IsFinite(values[offset + k]))
                {
                    errors.Add(Field(i, Invariant($".features[{a}][{k}]")), "Must be a finite number within float32 range.");
                    ok = false;
                    break;
                }
            }
        }

        return ok ? batch.FeaturesOf(p, f) : null;
    }

    private static int CheckAssets(string?[]? assets, ServiceOptions options, int i, FieldErrors errors)
    {
        if (assets is null || assets.Length == 0)
        {
            errors.Add(Field(i, ".assets"), "Required: at least one asset symbol.");
            return -1;
        }

        if (assets.Length > options.MaxAssets)
        {
            errors.Add(Field(i, ".assets"), Invariant($"Has {assets.Length} assets; the limit is {options.MaxAssets} (Predictive:MaxAssets)."));
            return -1;
        }

        var seen = assets.Length > PairwiseAssets ? new HashSet<string>(assets.Length, StringComparer.Ordinal) : null;
        for (var a = 0; a < assets.Length; a++)
        {
            var symbol = assets[a];
            if (string.IsNullOrWhiteSpace(symbol))
            {
                errors.Add(Field(i, Invariant($".assets[{a}]")), "Must be a non-empty symbol.");
                return -1;
            }

            if (seen is not null ? !seen.Add(symbol) : Array.IndexOf(assets, symbol, 0, a) >= 0)
            {
                errors.Add(Field(i, Invariant($".assets[{a}]")), $"'{symbol}' is listed twice.");
                return -1;
            }
        }

        return assets.Length;
    }

    private static void CheckWeights(PortfolioBatch batch, in PortfolioEntry p, int n, int i, FieldErrors errors)
    {
        if (!p.HasWeights)
        {
            errors.Add(Field(i, ".currentWeights"), "Required: one weight per asset (zeros for an all-cash portfolio).");
            return;
        }

        var w = batch.WeightsOf(p);
        if (n >= 0 && w.Length != n)
        {
            errors.Add(Field(i, ".currentWeights"), Invariant($"Has {w.Length} values; assets has {n}."));
            return;
        }

        double sum = 0;
        for (var a = 0; a < w.Length; a++)
        {
            if (!double.IsFinite(w[a]) || w[a] < 0)
            {
                errors.Add(Field(i, Invariant($".currentWeights[{a}]")), "Must be finite and ≥ 0.");
                return;
            }

            sum += w[a];
        }

        if (sum > 1 + WeightSumSlack)
        {
            errors.Add(Field(i, ".currentWeights"), Invariant($"Sums to {sum:R}; weights must sum to at most 1 (the rest is cash)."));
        }
    }

    private static void CheckFeatures(PortfolioBatch batch, in PortfolioEntry p, int n, int i, FieldErrors errors)
    {
        if (p.HasFeatures && p.Prices is not null)
        {
            errors.Add(Field(i), "Send either features or prices, not both.");
            return;
        }

        if (!p.HasFeatures)
        {
            if (p.Prices is null)
            {
                errors.Add(Field(i, ".features"), "Required: features [assets][features], or prices from which the service builds them.");
            }

            return;
        }

        if (n >= 0 && p.RowCount != n)
        {
            errors.Add(Field(i, ".features"), Invariant($"Has {p.RowCount} rows; assets has {n}. Send one row per asset."));
            return;
        }

        var nullRow = batch.RowWidths.Span.Slice(p.RowsStart, p.RowCount).IndexOf(-1);
        if (nullRow >= 0)
        {
            errors.Add(Field(i, Invariant($".features[{nullRow}]")), "Is null; send the asset's features.");
        }
    }

    private static string Field(int i, string member = "") => Invariant($"portfolios[{i}]{member}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
