using System.Numerics;
using Predictive.Chain.Rpc;
using Predictive.Core.Rebalancing.Costs;

namespace Predictive.Chain.Venue;

/// <summary>
/// Gas pricing of the on-chain venue: next base fee + median tip from eth_feeHistory, and the native token's price from
/// its pool when the market has one (else <see cref="SwapCostOptions.NativeTokenPriceQuote"/>).
/// </summary>
internal sealed class VenueGasPricing(EvmRpcClient client, ChainMarket market, VenueReads reads, SwapCostOptions costs)
{
    /// <summary>The gas quote in force now.</summary>
    public async Task<GasQuote> QuoteAsync(CancellationToken cancellationToken)
    {
        var history = await client.GetFeeHistoryAsync(1, BlockTag.Latest, [50.0], cancellationToken).ConfigureAwait(false);
        var tip = history.Reward is [{ Length: > 0 } first, ..] ? first[0].Value : BigInteger.Zero;
        var wei = (history.BaseFeePerGas is { Length: > 0 } baseFees ? baseFees[^1].Value : BigInteger.Zero) + tip;
        var native = costs.NativeTokenPriceQuote;
        var source = "configured";
        if (market.Assets.FirstOrDefault(a => a.Symbol == costs.NativeTokenSymbol) is { } nativeAsset)
        {
            native = (await reads.PoolStateAsync(nativeAsset, cancellationToken).ConfigureAwait(false)).MidPrice(nativeAsset.Symbol);
            source = $"pool {nativeAsset.Symbol}/{market.Quote.Symbol}";
        }

        return new GasQuote((double)wei / 1e9, native, "eth_feeHistory (next base fee + median tip)", source);
    }
}
