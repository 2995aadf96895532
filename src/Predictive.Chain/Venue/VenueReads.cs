using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Deployment;
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
            token0 = (EthAddress)(await ChainCalls.ReadAsync(client, asset.Pool, UniswapV2Abi.Token0, [], cancellationToken).ConfigureAwait(false))[0]!;
            _token0[asset.Pool] = token0;
        }

        var quote = market.Quote.Symbol;
        var reserves = await ChainCalls.ReadAsync(client, asset.Pool, UniswapV2Abi.GetReserves, [], cancellationToken).ConfigureAwait(false);
        var (assetRaw, quoteRaw) = token0 == asset.Token.Address ? ((BigInteger)reserves[0]!, (BigInteger)reserves[1]!) : ((BigInteger)reserves[1]!, (BigInteger)reserves[0]!);
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
        var amounts = (object?[])(await ChainCalls.ReadAsync(
            client, market.Router, UniswapV2Abi.GetAmountsOut, [amountIn, new object?[] { tokenIn.Address, tokenOut.Address }], cancellationToken).ConfigureAwait(false))[0]!;
        return (BigInteger)amounts[1]!;
    }

    /// <summary>The vault's balance of <paramref name="token"/>, in base units.</summary>
    public async Task<BigInteger> BalanceAsync(ChainToken token, CancellationToken cancellationToken) =>
        await ChainCalls.ReadUIntAsync(client, token.Address, Erc20Abi.BalanceOf, [market.Vault], cancellationToken).ConfigureAwait(false);
}
