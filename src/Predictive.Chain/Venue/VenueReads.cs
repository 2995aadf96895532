using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>Reads of the on-chain venue (eth_call only): pool reserves as <see cref="PoolState"/>, vault balances and router quotes.</summary>
internal sealed class VenueReads(EvmRpcClient client, ChainMarket market, int poolFeeBps)
{
    private readonly Dictionary<EthAddress, EthAddress> _token0 = [];

    /// <summary>The pool of <paramref name="asset"/> against the quote token, in token units.</summary>
    /// <exception cref="VenueException">The pool has no liquidity.</exception>
    public async Task<PoolState> PoolStateAsync(ChainAsset asset, CancellationToken cancellationToken)
    {
        if (!_token0.TryGetValue(asset.Pool, out var token0))
        {
            token0 = EthAddress.Parse((await client.QueryAsync<Token0Function, string>(asset.Pool, new Token0Function(), null, cancellationToken).ConfigureAwait(false)).ToLowerInvariant());
            _token0[asset.Pool] = token0;
        }

        var quote = market.Quote.Symbol;
        var reserves = await client.QueryOutputAsync<GetReservesFunction, ReservesOutput>(asset.Pool, new GetReservesFunction(), null, cancellationToken).ConfigureAwait(false);
        var (assetRaw, quoteRaw) = token0 == asset.Token.Address ? (reserves.Reserve0, reserves.Reserve1) : (reserves.Reserve1, reserves.Reserve0);
        if (assetRaw.IsZero || quoteRaw.IsZero)
        {
            throw new VenueException($"Pool {asset.Symbol}/{quote} ({asset.Pool}) has no liquidity.");
        }

        return new PoolState(
            $"{asset.Symbol}/{quote}", asset.Symbol, quote,
            TokenAmounts.ToUnits(assetRaw, asset.Token.Decimals), TokenAmounts.ToUnits(quoteRaw, market.Quote.Decimals), poolFeeBps);
    }

    /// <summary>The router's exact output for <paramref name="amountIn"/> base units.</summary>
    public async Task<BigInteger> AmountOutAsync(ChainToken tokenIn, ChainToken tokenOut, BigInteger amountIn, CancellationToken cancellationToken)
    {
        var amounts = await client.QueryAsync<GetAmountsOutFunction, List<BigInteger>>(
            market.Router, new GetAmountsOutFunction { AmountIn = amountIn, Path = [tokenIn.Address.ToString(), tokenOut.Address.ToString()] }, null, cancellationToken).ConfigureAwait(false);
        return amounts[1];
    }

    /// <summary>The vault's balance of <paramref name="token"/>, in base units.</summary>
    public async Task<BigInteger> BalanceAsync(ChainToken token, CancellationToken cancellationToken) =>
        await client.QueryAsync<BalanceOfFunction, BigInteger>(token.Address, new BalanceOfFunction { Owner = market.Vault.ToString() }, null, cancellationToken).ConfigureAwait(false);
}
