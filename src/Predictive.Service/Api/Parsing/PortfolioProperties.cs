using System.Text.Json;

namespace Predictive.Service.Api.Parsing;

/// <summary>The properties of a portfolio object.</summary>
internal enum PortfolioProperty
{
    Unknown,
    Id,
    Assets,
    CurrentWeights,
    Features,
    Prices,
    Model,
}

/// <summary>Matches a portfolio's property names: camelCase first (no allocation), then case-insensitively.</summary>
internal static class PortfolioProperties
{
    private static readonly (string Name, PortfolioProperty Property)[] Names =
    [
        ("id", PortfolioProperty.Id),
        ("assets", PortfolioProperty.Assets),
        ("currentWeights", PortfolioProperty.CurrentWeights),
        ("features", PortfolioProperty.Features),
        ("prices", PortfolioProperty.Prices),
        ("model", PortfolioProperty.Model),
    ];

    /// <summary>Returns the API name of the property the reader is on (the sent name when it is unknown).</summary>
    public static string Match(ref Utf8JsonReader reader, out PortfolioProperty property)
    {
        property = reader is { ValueIsEscaped: false, HasValueSequence: false } ? Exact(reader.ValueSpan) : PortfolioProperty.Unknown;
        if (property != PortfolioProperty.Unknown)
        {
            return Names[(int)property - 1].Name;
        }

        var sent = reader.GetString()!;
        foreach (var (name, candidate) in Names)
        {
            if (string.Equals(sent, name, StringComparison.OrdinalIgnoreCase))
            {
                property = candidate;
                return name;
            }
        }

        return sent;
    }

    /// <summary>The property named exactly (camelCase, unescaped) by <paramref name="name"/>, else Unknown.</summary>
    public static PortfolioProperty Exact(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("features"u8) ? PortfolioProperty.Features
        : name.SequenceEqual("currentWeights"u8) ? PortfolioProperty.CurrentWeights
        : name.SequenceEqual("assets"u8) ? PortfolioProperty.Assets
        : name.SequenceEqual("id"u8) ? PortfolioProperty.Id
        : name.SequenceEqual("model"u8) ? PortfolioProperty.Model
        : name.SequenceEqual("prices"u8) ? PortfolioProperty.Prices
        : PortfolioProperty.Unknown;
}
