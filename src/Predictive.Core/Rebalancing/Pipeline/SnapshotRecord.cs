using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>A <see cref="VenueSnapshot"/> as data, so the live state can be saved and read back.</summary>
/// <param name="Time">When it was taken.</param>
/// <param name="QuoteAsset">The numeraire.</param>
/// <param name="Pools">The pools.</param>
/// <param name="ReferencePrices">Reference prices in quote units.</param>
/// <param name="Gas">The gas market.</param>
/// <param name="LastPrices">Last prices of assets without a reference price now.</param>
public sealed record SnapshotRecord(
    DateTimeOffset Time, string QuoteAsset, IReadOnlyList<PoolState> Pools, IReadOnlyDictionary<string, double> ReferencePrices, GasQuote Gas,
    IReadOnlyDictionary<string, LastPrice>? LastPrices)
{
    /// <summary>The record of <paramref name="snapshot"/>.</summary>
    public static SnapshotRecord Of(VenueSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var prices = snapshot.ReferencePrices.Where(p => p.Key != snapshot.QuoteAsset).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new(snapshot.Time, snapshot.QuoteAsset, [.. snapshot.Pools], prices, snapshot.Gas, snapshot.LastPrices.Count == 0 ? null : snapshot.LastPrices.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
    }

    /// <summary>The snapshot again.</summary>
    /// <exception cref="ArgumentException">The record is inconsistent (see <see cref="VenueSnapshot"/>'s constructor).</exception>
    public VenueSnapshot ToSnapshot() => new(Time, QuoteAsset, Pools, ReferencePrices, Gas, LastPrices);
}
