namespace Predictive.Core.Venues;

/// <summary>
/// Where swaps happen: the simulated AMM in backtests, Uniswap pools through a vault on chain in production.
/// Amounts are token units as <see cref="decimal"/> here; an on-chain implementation converts to uint256
/// (<see cref="System.Numerics.BigInteger"/>) with each token's decimals at its boundary.
/// </summary>
public interface IVenue
{
    /// <summary>The numeraire every asset pool trades against (for example USDC).</summary>
    string QuoteAsset { get; }

    /// <summary>The pools, reference prices and gas market now.</summary>
    Task<VenueSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default);

    /// <summary>What <paramref name="order"/> would return now, without executing it.</summary>
    /// <exception cref="VenueException">No pool trades the pair, or the order is invalid.</exception>
    Task<SwapQuote> QuoteAsync(SwapOrder order, CancellationToken cancellationToken = default);

    /// <summary>Executes <paramref name="order"/> and reports the fill (a fill below the minimum output reverts).</summary>
    /// <exception cref="VenueException">No pool trades the pair, or the order is invalid.</exception>
    Task<SwapFill> ExecuteAsync(SwapOrder order, CancellationToken cancellationToken = default);
}
