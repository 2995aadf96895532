using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Predictive.Core.Features;

/// <summary>
/// The list of features to compute, in column order. Training and serving build identical features from the same spec;
/// it travels with a model as JSON (<see cref="ToJson"/>, <see cref="FromJson"/>).
/// </summary>
/// <remarks>
/// JSON form (version 1): <c>{"version":1,"features":[{"kind":"logReturn","window":7,"normalization":"none"}, …]}</c>.
/// Kinds and normalizations are camelCase names of <see cref="FeatureKind"/> and <see cref="FeatureNormalization"/>;
/// <c>normalization</c> may be omitted (none). Unknown properties are errors, so a typo cannot silently change features.
/// </remarks>
public sealed class FeatureSpec
{
    /// <summary>The only spec format version this code reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The largest window accepted, to catch unit mistakes (minutes given as bars).</summary>
    public const int MaxWindow = 100_000;

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    private static readonly JsonSerializerOptions ReadOptions = new()
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        PropertyNameCaseInsensitive = false,
    };

    private readonly FeatureDefinition[] _features;
    private readonly string[] _names;

    /// <summary>Creates and validates a spec.</summary>
    /// <exception cref="FeatureSpecException">The version is unsupported, the list is empty, a window is out of range, or two features share a name.</exception>
    public FeatureSpec(IEnumerable<FeatureDefinition> features, int version = CurrentVersion)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (version != CurrentVersion)
        {
            throw new FeatureSpecException($"version: {version} is not supported; this build reads feature spec version {CurrentVersion}.");
        }

        _features = [.. features];
        if (_features.Length == 0)
        {
            throw new FeatureSpecException("features: the list is empty; a spec needs at least one feature.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _features.Length; i++)
        {
            var f = _features[i] ?? throw new FeatureSpecException($"features[{i}]: is null.");
            if (!Enum.IsDefined(f.Kind) || !Enum.IsDefined(f.Normalization))
            {
                throw new FeatureSpecException($"features[{i}]: kind {(int)f.Kind} or normalization {(int)f.Normalization} is not defined.");
            }

            if (f.Kind == FeatureKind.Drawdown && f.Window != 0)
            {
                throw new FeatureSpecException(Invariant($"features[{i}].window: drawdown is measured from the running peak since listing and takes no window; got {f.Window}, expected 0."));
            }

            if (f.Kind != FeatureKind.Drawdown && (f.Window < f.MinWindow || f.Window > MaxWindow))
            {
                throw new FeatureSpecException(Invariant($"features[{i}].window: {f.Window} is out of range for {KindName(f.Kind)}; expected {f.MinWindow} to {MaxWindow} bars."));
            }

            if (!seen.TryAdd(f.Name, i))
            {
                throw new FeatureSpecException(Invariant($"features[{i}]: '{f.Name}' repeats features[{seen[f.Name]}]; each feature may appear once."));
            }
        }

        _names = Array.ConvertAll(_features, f => f.Name);
        Version = version;
    }

    /// <summary>
    /// The default for daily crypto bars: returns over 1, 7 and 30 days; EWMA (half-life 10), realized and downside
    /// (30) volatility; momentum over 30 and 90 days; drawdown; 30-day liquidity (z-scored across assets); 60-day
    /// correlation to the market and average pairwise correlation. An asset needs 90 days of returns (91 closes).
    /// </summary>
    public static FeatureSpec Default { get; } = new(
    [
        new(FeatureKind.LogReturn, 1),
        new(FeatureKind.LogReturn, 7),
        new(FeatureKind.LogReturn, 30),
        new(FeatureKind.EwmaVolatility, 10),
        new(FeatureKind.RealizedVolatility, 30),
        new(FeatureKind.DownsideVolatility, 30),
        new(FeatureKind.Momentum, 30),
        new(FeatureKind.Momentum, 90),
        new(FeatureKind.Drawdown, 0),
        new(FeatureKind.LogDollarVolume, 30, FeatureNormalization.CrossSectionalZScore),
        new(FeatureKind.AmihudIlliquidity, 30, FeatureNormalization.CrossSectionalZScore),
        new(FeatureKind.MarketCorrelation, 60),
        new(FeatureKind.AveragePairwiseCorrelation, 60),
    ]);

    /// <summary>The spec format version.</summary>
    public int Version { get; }

    /// <summary>The features, in column order.</summary>
    public IReadOnlyList<FeatureDefinition> Features => _features;

    /// <summary>The feature column names, in order.</summary>
    public IReadOnlyList<string> FeatureNames => _names;

    /// <summary>Whether any feature needs volumes.</summary>
    public bool UsesVolume => _features.Any(f => f.UsesVolume);

    /// <summary>Whether any feature looks across assets.</summary>
    public bool HasCrossAssetFeatures => _features.Any(f => f.IsCrossAsset);

    /// <summary>A spec with only the features that match <paramref name="keep"/>, in the same order.</summary>
    public FeatureSpec Where(Func<FeatureDefinition, bool> keep) => new(_features.Where(keep), Version);

    /// <summary>The column of the feature named <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => Array.IndexOf(_names, name);

    /// <summary>Writes the spec as indented JSON with stable property names.</summary>
    public string ToJson() => JsonSerializer.Serialize(new SpecDto(Version, [.. _features.Select(f => new FeatureDto(KindName(f.Kind), f.Window, CamelCase(f.Normalization.ToString())))]), WriteOptions);

    /// <summary>Reads and validates a spec.</summary>
    /// <exception cref="FeatureSpecException">The JSON is malformed or the spec is invalid; the message names the field.</exception>
    public static FeatureSpec FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        SpecDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<SpecDto>(json, ReadOptions);
        }
        catch (JsonException e)
        {
            throw new FeatureSpecException($"feature spec JSON is malformed at {e.Path ?? "$"}: {e.Message}", e);
        }

        if (dto is null)
        {
            throw new FeatureSpecException("feature spec JSON is null.");
        }

        if (dto.Version is not { } version)
        {
            throw new FeatureSpecException("version: missing; expected \"version\": 1.");
        }

        if (dto.Features is null)
        {
            throw new FeatureSpecException("features: missing; expected a list of {\"kind\", \"window\", \"normalization\"} objects.");
        }

        var list = new List<FeatureDefinition>(dto.Features.Count);
        for (var i = 0; i < dto.Features.Count; i++)
        {
            var f = dto.Features[i] ?? throw new FeatureSpecException($"features[{i}]: is null.");
            var kind = ParseName<FeatureKind>(f.Kind, $"features[{i}].kind", required: true);
            var norm = f.Normalization is null ? FeatureNormalization.None : ParseName<FeatureNormalization>(f.Normalization, $"features[{i}].normalization", required: false);
            if (f.Window is null && kind != FeatureKind.Drawdown)
            {
                throw new FeatureSpecException($"features[{i}].window: missing; {KindName(kind)} needs a window in bars.");
            }

            list.Add(new FeatureDefinition(kind, f.Window ?? 0, norm));
        }

        return new FeatureSpec(list, version);
    }

    private static T ParseName<T>(string? text, string field, bool required)
        where T : struct, Enum
    {
        if (text is null && required)
        {
            throw new FeatureSpecException($"{field}: missing.");
        }

        foreach (var v in Enum.GetValues<T>())
        {
            if (string.Equals(CamelCase(v.ToString()), text, StringComparison.Ordinal))
            {
                return v;
            }
        }

        var allowed = string.Join(", ", Enum.GetValues<T>().Select(v => CamelCase(v.ToString())));
        throw new FeatureSpecException($"{field}: '{text}' is not known; expected one of {allowed}.");
    }

    private static string KindName(FeatureKind kind) => CamelCase(kind.ToString());

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed record SpecDto(
        [property: JsonPropertyName("version")] int? Version,
        [property: JsonPropertyName("features")] List<FeatureDto?>? Features);

    private sealed record FeatureDto(
        [property: JsonPropertyName("kind")] string? Kind,
        [property: JsonPropertyName("window")] int? Window,
        [property: JsonPropertyName("normalization")] string? Normalization);
}
