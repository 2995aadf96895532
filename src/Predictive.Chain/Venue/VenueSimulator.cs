using System.Numerics;
using Predictive.Chain.Abi;
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
        var call = new CallRequest(market.Vault, VaultAbi.Swap.EncodeCall(market.Router, tokenIn.Address, tokenOut.Address, amountInRaw, minOut, deadline)) { From = keeper };
        try
        {
            var output = VaultAbi.Swap.DecodeOutput(await client.CallAsync(call, BlockTag.Latest, cancellationToken).ConfigureAwait(false));
            var gasUnits = await client.EstimateGasAsync(call, cancellationToken).ConfigureAwait(false);
            return new SwapOutcome(FillStatus.Filled, amountInRaw, (BigInteger)output[0]!, minOut, EstimatedGas: (long)gasUnits);
        }
        catch (RpcErrorException e) when (e.RevertData is not null || e.Code == 3)
        {
            var reason = RevertReason.Decode(e.RevertData ?? [], VaultAbi.Errors).Message;
            return new SwapOutcome(FillStatus.Reverted, 0, 0, minOut, Reason: $"eth_call reverted: {reason}");
        }
    }
}
