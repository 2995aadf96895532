using Predictive.Chain.Crypto;

namespace Predictive.Chain.Venue;

/// <summary>An ERC-20 token the venue trades: its symbol, address and decimals.</summary>
/// <param name="Symbol">The symbol used by the rebalancing core (e.g. "BTC").</param>
/// <param name="Address">The token contract.</param>
/// <param name="Decimals">The token's decimals (base units per unit = 10^decimals).</param>
public sealed record ChainToken(string Symbol, EthAddress Address, int Decimals);

/// <summary>An asset held by the vault and the Uniswap V2 pair that trades it against the quote token.</summary>
/// <param name="Token">The asset token.</param>
/// <param name="Pool">The asset/quote pair.</param>
public sealed record ChainAsset(ChainToken Token, EthAddress Pool)
{
    /// <summary>The asset's symbol.</summary>
    public string Symbol => Token.Symbol;
}

/// <summary>Where the on-chain venue trades: the vault, the router and the asset/quote pools.</summary>
/// <param name="Vault">The <c>PredictiveVault</c> holding the portfolio.</param>
/// <param name="Router">The whitelisted Uniswap V2 router.</param>
/// <param name="Quote">The quote token (the numeraire every pool trades against).</param>
/// <param name="Assets">The assets, in weight order.</param>
public sealed record ChainMarket(EthAddress Vault, EthAddress Router, ChainToken Quote, IReadOnlyList<ChainAsset> Assets)
{
    /// <summary>Throws when symbols are blank or repeated.</summary>
    /// <exception cref="ArgumentException">A symbol is blank or used twice.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Vault);
        ArgumentNullException.ThrowIfNull(Router);
        ArgumentNullException.ThrowIfNull(Quote);
        ArgumentNullException.ThrowIfNull(Assets);
        var symbols = Assets.Select(a => a.Symbol).Append(Quote.Symbol).ToList();
        if (symbols.Any(string.IsNullOrWhiteSpace) || symbols.Distinct(StringComparer.Ordinal).Count() != symbols.Count)
        {
            throw new ArgumentException($"Market symbols must be non-blank and distinct; got {string.Join(", ", symbols)}.", nameof(Assets));
        }
    }

    /// <summary>The token with <paramref name="symbol"/> (an asset or the quote token).</summary>
    /// <exception cref="Predictive.Core.Venues.VenueException">No such token.</exception>
    public ChainToken Token(string symbol) =>
        symbol == Quote.Symbol ? Quote
        : Assets.FirstOrDefault(a => a.Symbol == symbol)?.Token
          ?? throw new Predictive.Core.Venues.VenueException($"The on-chain venue has no token '{symbol}' (known: {string.Join(", ", Assets.Select(a => a.Symbol).Append(Quote.Symbol))}).");

    /// <summary>The pool trading <paramref name="a"/> against <paramref name="b"/> (one of them the quote token).</summary>
    /// <exception cref="Predictive.Core.Venues.VenueException">Neither side is the quote token, or the asset is unknown.</exception>
    public ChainAsset PoolFor(string a, string b)
    {
        var asset = a == Quote.Symbol ? b : b == Quote.Symbol ? a
            : throw new Predictive.Core.Venues.VenueException($"The vault only swaps against {Quote.Symbol}; {a}→{b} has no pool.");
        return Assets.FirstOrDefault(x => x.Symbol == asset)
            ?? throw new Predictive.Core.Venues.VenueException($"The on-chain venue has no pool for '{asset}'.");
    }
}
