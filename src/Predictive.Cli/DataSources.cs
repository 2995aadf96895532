using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Core.Synthetic;

namespace Predictive.Cli;

/// <summary>Resolves the <c>--data</c> argument: a file path, or <c>synthetic</c> for the embedded generator.</summary>
public static class DataSources
{
    /// <summary>The value that selects the embedded synthetic market.</summary>
    public const string Synthetic = "synthetic";

    /// <summary>The default feature spec for a panel: every default feature, less the volume ones when it has no volume.</summary>
    public static FeatureSpec DefaultSpec(PricePanel panel)
    {
        ArgumentNullException.ThrowIfNull(panel);
        return panel.HasVolume ? FeatureSpec.Default : FeatureSpec.Default.Where(f => !f.UsesVolume);
    }

    /// <summary>Loads the panel named by <paramref name="data"/>.</summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="MarketDataException">The file is malformed.</exception>
    public static async Task<PricePanel> LoadAsync(string data, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (string.Equals(data, Synthetic, StringComparison.OrdinalIgnoreCase))
        {
            return SyntheticMarket.Generate(new SyntheticMarketOptions { Seed = seed });
        }

        if (!File.Exists(data))
        {
            throw new FileNotFoundException($"Data file '{data}' does not exist. Give a CSV, Binance kline or Parquet file, or 'synthetic'.", data);
        }

        return await MarketDataFile.ReadAsync(data, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Formats a bar time the way every JSON output of the CLI does (ISO-8601, UTC, <c>Z</c>).</summary>
    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
