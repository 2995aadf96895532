using Nethereum.ABI.Model;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Revert replay: receipts carry no revert data, so a reverted transaction's call is replayed with eth_call at the
/// including block to recover it, and decoded with the called contracts' custom errors.
/// </summary>
internal sealed class RevertReplayer(EvmRpcClient client, IReadOnlyList<ErrorABI> knownErrors)
{
    /// <summary>The reason and data of <paramref name="receipt"/>'s revert.</summary>
    public async Task<(string Message, byte[]? Data)> ReplayAsync(JournalEntry entry, CallInput call, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var attempt = entry.Attempts.FirstOrDefault(a => string.Equals(a.Hash, receipt.TransactionHash, StringComparison.OrdinalIgnoreCase));
        try
        {
            call.Gas = attempt is null ? null : new HexBigInteger(attempt.GasLimit);
            await client.CallAsync(call, BlockTag.Number(receipt.BlockNumber.Value), cancellationToken).ConfigureAwait(false);
            var outOfGas = attempt is not null && receipt.GasUsed.Value >= attempt.GasLimit ? " (all gas used: probably out of gas)" : string.Empty;
            return ($"reverted in block {receipt.BlockNumber.Value}; the replay at that block did not revert{outOfGas}", null);
        }
        catch (RpcErrorException e)
        {
            return ($"reverted in block {receipt.BlockNumber.Value}: {Decode(e.RevertData ?? []).Message}", e.RevertData ?? []);
        }
    }

    /// <summary>Decodes revert data with the known custom errors.</summary>
    public RevertReason Decode(byte[] data) => RevertReason.Decode(data, knownErrors);
}
