using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Core.Venues;

/// <summary>
/// What a venue looks like at one moment: its pools, reference (oracle) prices in quote units and the gas market.
/// Policies, guards and the planner read snapshots only, never a live venue, so they stay pure and testable.
/// </summary>
public sealed class VenueSnapshot
{
    private readonly Dictionary<string, PoolState> _pools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _prices;
    private readonly Dictionary<string, LastPrice> _lastPrices;

    /// <summary>Creates a snapshot.</summary>
    /// <param name="time">When it was taken.</param>
    /// <param name="quoteAsset">The numeraire; its reference price is 1.</param>
    /// <param name="pools">The pools (asset/quote pools and any direct asset/asset pools).</param>
    /// <param name="referencePrices">Reference (oracle/market) prices in quote units per token.</param>
    /// <param name="gas">The gas and native-token prices.</param>
    /// <param name="lastPrices">
    /// For assets that have no reference price now (they stopped trading, or are in a gap beyond the data's forward-fill
    /// limit): the last reference price they had and when. Holdings of such an asset are valued at that price
    /// (docs/backtesting.md, "Assets that stop trading"). Null when every asset the venue knows is priced.
    /// </param>
    /// <exception cref="ArgumentException">Two pools trade the same pair, a price is not finite and positive, or an asset has both a reference and a last price.</exception>
    public VenueSnapshot(DateTimeOffset time, string quoteAsset, IReadOnlyList<PoolState> pools, IReadOnlyDictionary<string, double> referencePrices, GasQuote gas, IReadOnlyDictionary<string, LastPrice>? lastPrices = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(quoteAsset);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(referencePrices);
        ArgumentNullException.ThrowIfNull(gas);
        foreach (var pool in pools)
        {
            if (!_pools.TryAdd(Key(pool.Token0, pool.Token1), pool) || !_pools.TryAdd(Key(pool.Token1, pool.Token0), pool))
            {
                throw new ArgumentException($"Two pools trade {pool.Token0}/{pool.Token1}.", nameof(pools));
            }
        }

        _prices = new Dictionary<string, double>(referencePrices, StringComparer.Ordinal);
        foreach (var (asset, price) in _prices)
        {
            if (!(double.IsFinite(price) && price > 0))
            {
                throw new ArgumentException($"The reference price of '{asset}' is {price}; it must be finite and positive.", nameof(referencePrices));
            }
        }

        _prices[quoteAsset] = 1.0;
        _lastPrices = new Dictionary<string, LastPrice>(StringComparer.Ordinal);
        foreach (var (asset, last) in lastPrices ?? new Dictionary<string, LastPrice>())
        {
            if (!(double.IsFinite(last.Price) && last.Price > 0) || _prices.ContainsKey(asset))
            {
                throw new ArgumentException($"The last price of '{asset}' is {last.Price}; it must be finite and positive, and only assets without a reference price have one.", nameof(lastPrices));
            }

            _lastPrices[asset] = last;
        }

        Time = time;
        QuoteAsset = quoteAsset;
        Pools = pools;
        Gas = gas;
    }

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>What is wrong with the reference prices now (empty when their source found nothing wrong); a guard refuses to trade on them.</summary>
    public IReadOnlyList<ReferenceFault> ReferenceFaults { get; init; } = [];

    /// <summary>The numeraire asset.</summary>
    public string QuoteAsset { get; }

    /// <summary>All pools.</summary>
    public IReadOnlyList<PoolState> Pools { get; }

    /// <summary>Reference prices, quote units per token (the quote asset is 1).</summary>
    public IReadOnlyDictionary<string, double> ReferencePrices => _prices;

    /// <summary>Gas and native-token prices.</summary>
    public GasQuote Gas { get; }

    /// <summary>The reference price of <paramref name="asset"/> in quote units.</summary>
    /// <exception cref="KeyNotFoundException">The snapshot has no price for the asset.</exception>
    public double ReferencePrice(string asset) =>
        _prices.TryGetValue(asset, out var p) ? p : throw new KeyNotFoundException($"The venue has no reference price for '{asset}' at {Time:O}.");

    /// <summary>Whether a price is known for <paramref name="asset"/>.</summary>
    public bool HasPrice(string asset) => _prices.ContainsKey(asset);

    /// <summary>The last prices of assets that have no reference price now (see the constructor).</summary>
    public IReadOnlyDictionary<string, LastPrice> LastPrices => _lastPrices;

    /// <summary>
    /// The price a holding of <paramref name="asset"/> is valued at: its reference price, or, when it has none now, its
    /// last reference price (never more).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The asset has neither (it never traded on this venue).</exception>
    public double MarkPrice(string asset) =>
        _prices.TryGetValue(asset, out var p) ? p
        : _lastPrices.TryGetValue(asset, out var last) ? last.Price
        : throw new KeyNotFoundException($"The venue has no reference price for '{asset}' at {Time:O}, and never had one.");

    /// <summary>
    /// Whether <paramref name="asset"/> can be traded now: the quote asset always; any other asset when it has a
    /// reference price and a pool against the quote asset. A held asset that cannot be traded is kept and valued at
    /// <see cref="MarkPrice"/>; the planner leaves it alone.
    /// </summary>
    public bool CanTrade(string asset) => asset == QuoteAsset || (_prices.ContainsKey(asset) && TryGetPool(asset, QuoteAsset, out _));

    /// <summary>
    /// The same pools and gas with reference prices from elsewhere (an oracle, the market data): the quote asset stays at
    /// 1; an asset the new prices lack but this snapshot prices keeps no price (it cannot be traded). <paramref name="faults"/>
    /// are what the prices' source found wrong with them (<see cref="ReferenceFaults"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A price is not finite and positive.</exception>
    public VenueSnapshot WithReferencePrices(IReadOnlyDictionary<string, double> referencePrices, IReadOnlyList<ReferenceFault>? faults = null)
    {
        ArgumentNullException.ThrowIfNull(referencePrices);
        var prices = referencePrices.Where(p => p.Key != QuoteAsset).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var last = _lastPrices.Where(p => !prices.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new VenueSnapshot(Time, QuoteAsset, Pools, prices, Gas, last) { ReferenceFaults = [.. faults ?? []] };
    }

    /// <summary>The pool trading <paramref name="a"/> against <paramref name="b"/>, if any.</summary>
    public bool TryGetPool(string a, string b, out PoolState pool) => _pools.TryGetValue(Key(a, b), out pool!);

    /// <summary>The pool's liquidity: both reserves valued at reference prices, in quote units.</summary>
    public decimal LiquidityQuote(PoolState pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return (pool.Reserve0 * (decimal)ReferencePrice(pool.Token0)) + (pool.Reserve1 * (decimal)ReferencePrice(pool.Token1));
    }

    /// <summary>A pool's mid price of <paramref name="asset"/> in quote units (through its quote pool).</summary>
    public bool TryGetPoolPrice(string asset, out double price)
    {
        price = double.NaN;
        if (asset == QuoteAsset)
        {
            price = 1;
            return true;
        }

        if (!TryGetPool(asset, QuoteAsset, out var pool))
        {
            return false;
        }

        price = pool.MidPrice(asset);
        return true;
    }

    private static string Key(string a, string b) => a + "\u0001" + b;
}
