using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// The journal-aware nonce step: the lowest nonce at or above the node's pending count that no unfinished journal entry
/// of the account holds. The journal is the only local record: a transaction signed but never broadcast (a crash between
/// the two) is invisible to the node, yet its nonce is taken, since a restart re-broadcasts those exact bytes.
/// </summary>
internal sealed class NonceAllocator(EvmRpcClient client)
{
    /// <summary>Chooses the next nonce for <paramref name="account"/>. Callers serialize allocation per account.</summary>
    public async Task<BigInteger> NextAsync(EthAddress account, IReadOnlySet<BigInteger> inFlight, CancellationToken cancellationToken = default)
    {
        var nonce = await client.GetTransactionCountAsync(account, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
        while (inFlight.Contains(nonce))
        {
            nonce++;
        }

        return nonce;
    }
}
