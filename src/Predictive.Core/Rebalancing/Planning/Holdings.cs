using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>
/// Token quantities a portfolio holds (the quote asset included), immutable. The simulated portfolio pays gas in the
/// quote asset, so the quote quantity can dip below zero when gas exceeds the cash on hand.
/// </summary>
public sealed class Holdings
{
    private readonly Dictionary<string, decimal> _quantities;

    /// <summary>Creates holdings from token quantities.</summary>
    /// <exception cref="ArgumentException">A symbol is empty.</exception>
    public Holdings(IReadOnlyDictionary<string, decimal> quantities)
    {
        ArgumentNullException.ThrowIfNull(quantities);
        _quantities = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (asset, q) in quantities)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(asset, nameof(quantities));
            _quantities[asset] = q;
        }
    }

    /// <summary>Quantities by symbol.</summary>
    public IReadOnlyDictionary<string, decimal> Quantities => _quantities;

    /// <summary>The quantity of <paramref name="asset"/> (0 when not held).</summary>
    public decimal Quantity(string asset) => _quantities.TryGetValue(asset, out var q) ? q : 0;

    /// <summary>Holdings worth <paramref name="valueQuote"/> spread by <paramref name="weights"/> at the venue's mark prices (<see cref="VenueSnapshot.MarkPrice"/>).</summary>
    public static Holdings FromWeights(IReadOnlyList<string> assets, ReadOnlySpan<double> weights, decimal valueQuote, VenueSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(market);
        if (weights.Length != assets.Count)
        {
            throw new ArgumentException($"weights has {weights.Length} values; there are {assets.Count} assets.", nameof(weights));
        }

        var q = new Dictionary<string, decimal>(StringComparer.Ordinal);
        for (var i = 0; i < assets.Count; i++)
        {
            if (weights[i] != 0)
            {
                q[assets[i]] = (decimal)weights[i] * valueQuote / (decimal)market.MarkPrice(assets[i]);
            }
        }

        return new Holdings(q);
    }

    /// <summary>
    /// The value in quote units: each holding at its reference price, or, for an asset that cannot be priced now, at
    /// its last reference price (<see cref="VenueSnapshot.MarkPrice"/>; docs/backtesting.md, "Assets that stop trading").
    /// </summary>
    /// <exception cref="KeyNotFoundException">A held asset has never had a price on this venue.</exception>
    public decimal ValueQuote(VenueSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(market);
        var v = 0m;
        foreach (var (asset, q) in _quantities)
        {
            if (q != 0)
            {
                v += q * (decimal)market.MarkPrice(asset);
            }
        }

        return v;
    }

    /// <summary>Weights over <paramref name="assets"/> at mark prices (assets held but not listed are left out of the vector, not the value).</summary>
    public double[] Weights(IReadOnlyList<string> assets, VenueSnapshot market)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var v = ValueQuote(market);
        var w = new double[assets.Count];
        for (var i = 0; i < w.Length; i++)
        {
            var q = Quantity(assets[i]);
            w[i] = v == 0 || q == 0 ? 0 : (double)(q * (decimal)market.MarkPrice(assets[i]) / v);
        }

        return w;
    }

    /// <summary>The holdings after <paramref name="fill"/>: input out, output in, gas paid from <paramref name="quoteAsset"/>.</summary>
    public Holdings Apply(SwapFill fill, string quoteAsset)
    {
        ArgumentNullException.ThrowIfNull(fill);
        ArgumentException.ThrowIfNullOrWhiteSpace(quoteAsset);
        var q = new Dictionary<string, decimal>(_quantities, StringComparer.Ordinal);
        if (fill.Status == FillStatus.Filled)
        {
            q[fill.Order.AssetIn] = Quantity(fill.Order.AssetIn) - fill.AmountIn;
            q[fill.Order.AssetOut] = q.GetValueOrDefault(fill.Order.AssetOut) + fill.AmountOut;
        }

        q[quoteAsset] = q.GetValueOrDefault(quoteAsset) - fill.GasQuote;
        return new Holdings(q);
    }
}
