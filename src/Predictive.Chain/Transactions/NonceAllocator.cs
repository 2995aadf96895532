using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>How a nonce was chosen.</summary>
public enum NonceSource
{
    /// <summary>No stored nonce: taken from the node's pending count.</summary>
    Fresh,

    /// <summary>The stored next nonce, consistent with the node.</summary>
    Stored,

    /// <summary>The store was behind the node ("nonce too low": another sender used the account), so it was re-synced.</summary>
    ResyncedTooLow,

    /// <summary>The store was ahead of the node with no in-flight transaction holding the skipped nonces; the lowest gap is filled.</summary>
    FilledGap,
}

/// <summary>A chosen nonce and why.</summary>
/// <param name="Nonce">The nonce.</param>
/// <param name="Source">How it was chosen.</param>
public sealed record NonceAllocation(BigInteger Nonce, NonceSource Source);

/// <summary>
/// Chooses nonces from the persisted <see cref="NonceStore"/>, the node's pending count and the nonces the journal still
/// holds in flight: the lowest nonce at or above the node's pending count that no in-flight transaction holds.
/// A stored value behind the node is re-synced; one ahead of the node with nothing in flight in between is a gap
/// (e.g. a crash after reserving a nonce but before signing) and is filled, since the node would never mine past it.
/// </summary>
public sealed class NonceAllocator
{
    private readonly EvmRpcClient _client;
    private readonly NonceStore _store;

    /// <summary>Creates an allocator.</summary>
    public NonceAllocator(EvmRpcClient client, NonceStore store)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(store);
        _client = client;
        _store = store;
    }

    /// <summary>Chooses the next nonce for <paramref name="account"/>. Callers serialize allocation per account.</summary>
    public async Task<NonceAllocation> NextAsync(EthAddress account, IReadOnlySet<BigInteger> inFlight, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(inFlight);
        var chain = await _client.GetTransactionCountAsync(account, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
        var stored = _store.Get(account);
        var nonce = chain;
        while (inFlight.Contains(nonce))
        {
            nonce++;
        }

        var source = stored switch
        {
            null => NonceSource.Fresh,
            { } s when s < chain => NonceSource.ResyncedTooLow,
            { } s when nonce < s => NonceSource.FilledGap,
            _ => NonceSource.Stored,
        };
        return new NonceAllocation(nonce, source);
    }

    /// <summary>Records that <paramref name="nonce"/> was used (signed and journaled).</summary>
    public void MarkUsed(EthAddress account, BigInteger nonce)
    {
        var stored = _store.Get(account);
        if (stored is null || stored <= nonce)
        {
            _store.Set(account, nonce + 1);
        }
    }

    /// <summary>Forgets the stored value and takes the node's pending count (after "nonce too low").</summary>
    public async Task ResyncAsync(EthAddress account, CancellationToken cancellationToken = default)
    {
        var chain = await _client.GetTransactionCountAsync(account, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
        _store.Set(account, chain);
    }
}
