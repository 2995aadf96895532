using System.Numerics;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Gas estimation: eth_estimateGas + <see cref="TransactionManagerOptions.GasMarginPercent"/> + the intent's
/// <see cref="TransactionIntent.GasAllowance"/>. A revert during estimation is returned as its data, not thrown.
/// </summary>
internal sealed class GasLimitPolicy(EvmRpcClient client, TransactionManagerOptions options)
{
    /// <summary>The gas limit for <paramref name="call"/>, or the revert data when estimation reverted.</summary>
    public async Task<(BigInteger? GasLimit, byte[]? RevertData)> LimitAsync(CallInput call, BigInteger allowance, CancellationToken cancellationToken)
    {
        try
        {
            var estimate = await client.EstimateGasAsync(call, cancellationToken).ConfigureAwait(false);
            return ((estimate * (100 + options.GasMarginPercent) / 100) + allowance, null);
        }
        catch (RpcErrorException e) when (e.RevertData is not null || e.Code == 3)
        {
            return (null, e.RevertData ?? []);
        }
    }
}
