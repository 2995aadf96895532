using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>What the node said to a signed transaction.</summary>
internal enum BroadcastOutcome
{
    /// <summary>Accepted into the pool.</summary>
    Accepted,

    /// <summary>The node has these exact bytes already (a re-broadcast after a restart).</summary>
    AlreadyKnown,

    /// <summary>The nonce is used, perhaps by this intent's own transaction.</summary>
    NonceTooLow,

    /// <summary>Refused outright (e.g. insufficient funds, fee below the base fee).</summary>
    Rejected,
}

/// <summary>
/// Broadcast: one eth_sendRawTransaction of journaled bytes (the client never retries it blindly) and the node's answer
/// classified by <see cref="NodeErrors"/>. Any other node error propagates and leaves the intent open.
/// </summary>
internal sealed class Broadcaster(EvmRpcClient client)
{
    /// <summary>Sends <paramref name="attempt"/>'s raw bytes; the node's message comes back for a rejection.</summary>
    public async Task<(BroadcastOutcome Outcome, string? NodeMessage)> SendAsync(SignedAttempt attempt, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendRawTransactionAsync(attempt.Raw, cancellationToken).ConfigureAwait(false);
            return (BroadcastOutcome.Accepted, null);
        }
        catch (RpcErrorException e) when (NodeErrors.IsAlreadyKnown(e.NodeMessage))
        {
            return (BroadcastOutcome.AlreadyKnown, e.NodeMessage);
        }
        catch (RpcErrorException e) when (NodeErrors.IsNonceTooLow(e.NodeMessage))
        {
            return (BroadcastOutcome.NonceTooLow, e.NodeMessage);
        }
        catch (RpcErrorException e) when (NodeErrors.IsPermanentRejection(e.NodeMessage))
        {
            return (BroadcastOutcome.Rejected, e.NodeMessage);
        }
    }
}
