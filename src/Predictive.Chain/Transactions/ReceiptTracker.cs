using System.Numerics;
using Predictive.Chain.Crypto;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Receipts and nonces on chain: which of an intent's transactions was mined, whether a nonce is taken by a mined
/// transaction, and whether any of an intent's transactions may still be mined.
/// </summary>
internal sealed class ReceiptTracker(EvmRpcClient client, EthAddress account, TransactionManagerOptions options, TimeProvider time)
{
    /// <summary>The receipt of any of the intent's attempts, newest first (after a replacement the newer one is likelier).</summary>
    public async Task<TransactionReceipt?> FindAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        for (var i = entry.Attempts.Count - 1; i >= 0; i--)
        {
            if (await client.GetTransactionReceiptAsync(entry.Attempts[i].Hash, cancellationToken).ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }
        }

        return null;
    }

    /// <summary>
    /// After "nonce too low": whether the transaction a block holds at <paramref name="nonce"/> is one of this intent's.
    /// The node's answer only says the nonce is used, possibly by a transaction still waiting to be mined, or mined a
    /// moment before its receipt can be read; so this first waits until a block includes the nonce, then keeps looking
    /// for a receipt of ours for <see cref="TransactionManagerOptions.ReceiptLagGrace"/> (a node's receipt index can lag
    /// its nonce count), and only then is a missing receipt taken as proof that another transaction took the nonce
    /// (concluding that earlier would sign the intent again).
    /// </summary>
    /// <exception cref="TimeoutException">No block includes the nonce within <see cref="TransactionManagerOptions.ReceiptTimeout"/>; the entry stays open.</exception>
    public async Task<bool> NonceMinedAsOursAsync(JournalEntry entry, BigInteger nonce, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        while (await client.GetTransactionCountAsync(account, BlockTag.Latest, cancellationToken).ConfigureAwait(false) <= nonce)
        {
            if (time.GetUtcNow() - started >= options.ReceiptTimeout)
            {
                throw new TimeoutException($"Intent '{entry.Intent.Id}': the node reports nonce {nonce} as used, but no block included it within {options.ReceiptTimeout}; it stays open in the journal.");
            }

            await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        var mined = time.GetUtcNow();
        while (await FindAsync(entry, cancellationToken).ConfigureAwait(false) is null)
        {
            if (time.GetUtcNow() - mined >= options.ReceiptLagGrace)
            {
                return false;
            }

            await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// After the node refused <paramref name="refused"/>: whether any transaction of the intent may still be mined. That is
    /// the refused bytes themselves unless this was their first broadcast, and every other attempt whose nonce no block has
    /// taken yet (an attempt whose nonce is mined, by ours or another, can never be mined again).
    /// </summary>
    public async Task<bool> MayStillBeMinedAsync(JournalEntry entry, SignedAttempt refused, bool firstBroadcast, CancellationToken cancellationToken)
    {
        var candidates = entry.Attempts.Where(a => !firstBroadcast || a.Hash != refused.Hash).ToList();
        if (candidates.Count == 0)
        {
            return false;
        }

        var mined = await client.GetTransactionCountAsync(account, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        return candidates.Any(a => a.Nonce >= mined);
    }
}
