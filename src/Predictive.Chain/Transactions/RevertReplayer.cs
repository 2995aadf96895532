using Predictive.Chain.Abi;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Revert replay: receipts carry no revert data, so a reverted transaction's call is replayed with eth_call at the
/// including block to recover it, and decoded with the called contracts' custom errors.
/// </summary>
internal sealed class RevertReplayer(EvmRpcClient client, IReadOnlyList<AbiError> knownErrors)
{
    /// <summary>The reason and data of <paramref name="receipt"/>'s revert.</summary>
    public async Task<(string Message, byte[]? Data)> ReplayAsync(JournalEntry entry, CallRequest call, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var attempt = entry.Attempts.FirstOrDefault(a => string.Equals(a.Hash, receipt.TransactionHash, StringComparison.OrdinalIgnoreCase));
        try
        {
            await client.CallAsync(call with { Gas = attempt?.GasLimit }, BlockTag.Number(receipt.BlockNumber), cancellationToken).ConfigureAwait(false);
            var outOfGas = attempt is not null && receipt.GasUsed >= attempt.GasLimit ? " (all gas used: probably out of gas)" : string.Empty;
            return ($"reverted in block {receipt.BlockNumber}; the replay at that block did not revert{outOfGas}", null);
        }
        catch (RpcErrorException e)
        {
            return ($"reverted in block {receipt.BlockNumber}: {Decode(e.RevertData ?? []).Message}", e.RevertData ?? []);
        }
    }

    /// <summary>Decodes revert data with the known custom errors.</summary>
    public RevertReason Decode(byte[] data) => RevertReason.Decode(data, knownErrors);
}
