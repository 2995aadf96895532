using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>Simulation (dry run) of a vault swap: eth_call from the keeper (its return value is the output) and eth_estimateGas; nothing is signed or sent.</summary>
internal sealed class VenueSimulator(EvmRpcClient client, ChainMarket market, EthAddress keeper)
{
    /// <summary>What the swap would do now, with <paramref name="minOut"/> and <paramref name="deadline"/>.</summary>
    public async Task<SwapOutcome> SimulateAsync(ChainToken tokenIn, ChainToken tokenOut, BigInteger amountInRaw, BigInteger minOut, BigInteger deadline, CancellationToken cancellationToken)
    {
        var swap = new VaultSwapFunction
        {
            Router = market.Router.ToString(), TokenIn = tokenIn.Address.ToString(), TokenOut = tokenOut.Address.ToString(),
            AmountIn = amountInRaw, MinAmountOut = minOut, Deadline = deadline, FromAddress = keeper.ToString(),
        };
        try
        {
            var output = await client.QueryAsync<VaultSwapFunction, BigInteger>(market.Vault, swap, null, cancellationToken).ConfigureAwait(false);
            var gasUnits = await client.EstimateGasAsync(new CallInput(swap.GetCallData().ToHex(true), market.Vault.ToString()) { From = keeper.ToString() }, cancellationToken).ConfigureAwait(false);
            return new SwapOutcome(FillStatus.Filled, amountInRaw, output, minOut, EstimatedGas: (long)gasUnits);
        }
        catch (RpcErrorException e) when (e.RevertData is not null || e.Code == 3)
        {
            var reason = RevertReason.Decode(e.RevertData ?? [], VaultAbi.Errors).Message;
            return new SwapOutcome(FillStatus.Reverted, 0, 0, minOut, Reason: $"eth_call reverted: {reason}");
        }
    }
}
