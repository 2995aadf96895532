using Predictive.Chain.Rpc;
using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Venues;

namespace Predictive.Chain.Oracle;

/// <summary>
/// The live reference prices from on-chain Chainlink-compatible feeds, through the composition's
/// <see cref="IReferencePriceSource"/> seam: each asset's USD feed over the quote token's USD feed at the latest block.
/// <list type="bullet">
/// <item>Hygiene (<see cref="OracleGate"/>: stale, non-positive, out-of-range, unanswered round, feed vs the pair's
/// TWAP) comes back as <see cref="ReferencePriceRow.Faults"/>, each naming the feed and the check; the composition's
/// <c>ReferenceHygieneGuard</c> then refuses to trade, and the decision records it beside the other guards, which run on
/// these prices (pool vs feed, liquidity, volatility).</item>
/// <item>A feed whose latest answer is not positive is valued at its last positive round (it never trades on it).</item>
/// <item>History for the risk model comes from the feeds' earlier rounds (<c>getRoundData</c>): the k-th latest valid
/// round of every asset's feed makes one row (one round per bar, as <c>chain advance</c> writes them), priced against the
/// quote feed's round in force then. Before the feeds existed, <c>earlier</c> (the market data the chain was seeded from)
/// supplies older rows.</item>
/// </list>
/// Times are chain times (block and round timestamps).
/// </summary>
public sealed class OracleReferencePrices : IReferencePriceSource
{
    /// <summary>How many earlier rounds a non-positive feed is searched for its last positive answer.</summary>
    public const int FallbackRounds = 16;

    private readonly OracleGate _gate;
    private readonly FeedRounds _rounds;
    private readonly OracleAsset _quote;
    private readonly IReadOnlyList<OracleAsset> _assets;
    private readonly int _quoteDecimals;
    private readonly IReferencePriceSource? _earlier;

    /// <summary>Creates the source.</summary>
    /// <param name="client">The node.</param>
    /// <param name="quote">The quote token and its USD feed.</param>
    /// <param name="assets">Each asset, its USD feed and its pair with the quote token.</param>
    /// <param name="quoteDecimals">The quote token's decimals.</param>
    /// <param name="options">Heartbeat, TWAP window and the feed-vs-TWAP tolerance.</param>
    /// <param name="earlier">Rows from before the feeds' first rounds (null: only the feeds).</param>
    /// <exception cref="ArgumentException">The options are invalid, or no asset is given.</exception>
    public OracleReferencePrices(
        EvmRpcClient client, OracleAsset quote, IReadOnlyList<OracleAsset> assets, int quoteDecimals, OracleGateOptions? options = null, IReferencePriceSource? earlier = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(assets);
        if (assets.Count == 0)
        {
            throw new ArgumentException("The oracle reference needs at least one asset feed.", nameof(assets));
        }

        _gate = new OracleGate(client, options);
        _rounds = new FeedRounds(client);
        _quote = quote;
        _assets = [.. assets];
        _quoteDecimals = quoteDecimals;
        _earlier = earlier;
        Name = $"oracle feeds ({string.Join(", ", _assets.Select(a => a.Symbol).Prepend(quote.Symbol))})";
    }

    private OracleReferencePrices(OracleReferencePrices source, OracleDecision current)
    {
        _gate = source._gate;
        _rounds = source._rounds;
        _quote = source._quote;
        _assets = source._assets;
        _quoteDecimals = source._quoteDecimals;
        _earlier = source._earlier;
        Name = source.Name;
        Current = current;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>
    /// The gate's verdict already read at the latest block, for a caller that checked the feeds itself (a keeper pass reads
    /// them once, values the vault with them and hands this source to the composition); null reads them on every call.
    /// </summary>
    public OracleDecision? Current { get; init; }

    /// <summary>
    /// Reads the gate (feeds and TWAP) once at the latest block and returns this source pinned to that verdict
    /// (<see cref="Current"/>), so a caller that values holdings with the prices and then hands the source to the
    /// composition has one oracle verdict, read at one block.
    /// </summary>
    public async Task<OracleReferencePrices> ReadOnceAsync(CancellationToken cancellationToken = default)
    {
        var decision = await _gate.CheckAsync(_quote, _assets, _quoteDecimals, cancellationToken).ConfigureAwait(false);
        return new OracleReferencePrices(this, decision);
    }

    /// <summary>The feeds' prices at the latest block (chain time; <paramref name="time"/> is not used), with every hygiene refusal as a fault.</summary>
    public async Task<ReferencePriceRow> GetAsync(DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        var decision = Current ?? await _gate.CheckAsync(_quote, _assets, _quoteDecimals, cancellationToken).ConfigureAwait(false);
        var prices = decision.Prices.ToDictionary(p => p.Key, p => (double)p.Value, StringComparer.Ordinal);
        var missing = _assets.Where(a => !prices.ContainsKey(a.Symbol)).ToList();
        if (missing.Count > 0)
        {
            // Only for valuing holdings: the fault already stops any trade.
            var quotePrice = await LastPositiveAsync(_quote, cancellationToken).ConfigureAwait(false);
            foreach (var asset in missing)
            {
                if (quotePrice is > 0 && await LastPositiveAsync(asset, cancellationToken).ConfigureAwait(false) is { } price)
                {
                    prices[asset.Symbol] = (double)(price / quotePrice.Value);
                }
            }
        }

        var faults = decision.Refusals.Select(r => new ReferenceFault(r.Symbol, r.Feed.ToString(), r.Check, r.Reason)).ToList();
        return new ReferencePriceRow(decision.Time, prices) { Faults = faults };
    }

    /// <summary>
    /// Up to <paramref name="count"/> rows from the feeds' rounds, oldest first, ending with the latest round of every
    /// asset's feed (chain time; <paramref name="time"/> is not used); older rows from <c>earlier</c> when the feeds have
    /// fewer valid rounds.
    /// </summary>
    public async Task<IReadOnlyList<ReferencePriceRow>> GetHistoryAsync(DateTimeOffset time, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var perAsset = new List<IReadOnlyList<FeedRound>>(_assets.Count);
        foreach (var asset in _assets)
        {
            perAsset.Add([.. (await _rounds.RecentAsync(asset.Feed, count, cancellationToken).ConfigureAwait(false)).Where(FeedRounds.IsValid)]);
        }

        var depth = perAsset.Min(r => r.Count);
        var rows = new List<ReferencePriceRow>(count);
        if (depth > 0)
        {
            var oldest = Enumerable.Range(0, _assets.Count).Min(a => perAsset[a][depth - 1].UpdatedAt);
            var quoteRounds = await QuoteRoundsSinceAsync(oldest, count, cancellationToken).ConfigureAwait(false);
            for (var k = depth - 1; k >= 0; k--)
            {
                var at = Enumerable.Range(0, _assets.Count).Max(a => perAsset[a][k].UpdatedAt);
                if (quoteRounds.FirstOrDefault(q => q.UpdatedAt <= at) is not { } quote)
                {
                    continue;
                }

                var prices = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var a = 0; a < _assets.Count; a++)
                {
                    prices[_assets[a].Symbol] = (double)(perAsset[a][k].Price / quote.Price);
                }

                if (rows.Count == 0 || at > rows[^1].Time)
                {
                    rows.Add(new ReferencePriceRow(at, prices));
                }
            }
        }

        if (rows.Count >= count || _earlier is null)
        {
            return rows.Count > count ? rows[^count..] : rows;
        }

        var before = await _earlier.GetHistoryAsync(rows.Count > 0 ? rows[0].Time : time, count, cancellationToken).ConfigureAwait(false);
        var older = before.Where(r => rows.Count == 0 || r.Time < rows[0].Time).ToList();
        return [.. older.Skip(Math.Max(0, older.Count + rows.Count - count)), .. rows];
    }

    /// <summary>The quote feed's valid rounds, newest first, back to the first one at or before <paramref name="oldest"/>.</summary>
    private async Task<List<FeedRound>> QuoteRoundsSinceAsync(DateTimeOffset oldest, int count, CancellationToken cancellationToken)
    {
        // The quote feed may update more often than the assets' feeds; read back far enough to cover the oldest row.
        var limit = Math.Max(count, 1) * 4;
        var rounds = (await _rounds.RecentAsync(_quote.Feed, limit, cancellationToken).ConfigureAwait(false)).Where(FeedRounds.IsValid).ToList();
        var cut = rounds.FindIndex(r => r.UpdatedAt <= oldest);
        return cut < 0 ? rounds : rounds[..(cut + 1)];
    }

    private async Task<decimal?> LastPositiveAsync(OracleAsset asset, CancellationToken cancellationToken)
    {
        var rounds = await _rounds.RecentAsync(asset.Feed, FallbackRounds, cancellationToken).ConfigureAwait(false);
        return rounds.FirstOrDefault(r => r.Answer.Sign > 0)?.Price;
    }
}
