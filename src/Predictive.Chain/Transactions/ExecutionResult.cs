using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;

namespace Predictive.Chain.Transactions;

/// <summary>The end of an execution: confirmed, or failed with the reason.</summary>
/// <param name="Entry">The journal entry (finished).</param>
/// <param name="Receipt">The receipt of the mined transaction; null when nothing was mined (failed in estimation or rejected).</param>
/// <param name="Revert">The decoded revert (custom errors the manager knows included), when the failure was a revert.</param>
public sealed record ExecutionResult(JournalEntry Entry, TransactionReceipt? Receipt, RevertReason? Revert)
{
    /// <summary>Whether the transaction was mined successfully with the required confirmations.</summary>
    public bool Succeeded => Entry.Step == ExecutionStep.Confirmed;

    /// <summary>Returns this result, or throws <see cref="TransactionFailedException"/> when it failed.</summary>
    public ExecutionResult EnsureSucceeded() => Succeeded ? this : throw new TransactionFailedException(this);
}

/// <summary>An intent's transaction reverted or was rejected; <see cref="Result"/> holds the decoded reason.</summary>
public sealed class TransactionFailedException : Exception
{
    /// <summary>Creates the exception from a failed result.</summary>
    public TransactionFailedException(ExecutionResult result)
        : base($"Intent '{result?.Entry.Intent.Id}' failed: {result?.Revert?.Message ?? result?.Entry.FailureReason}")
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>The failed result.</summary>
    public ExecutionResult Result { get; }
}

/// <summary>Points between journal steps where <see cref="TransactionManager.Checkpoint"/> runs (tests use it to simulate crashes).</summary>
public enum ExecutionCheckpoint
{
    /// <summary>The intent is journaled; nothing signed.</summary>
    IntentRecorded,

    /// <summary>A signed transaction is journaled; not yet broadcast.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The step a transaction is signed in, not a numeric type.")]
    Signed,

    /// <summary>The node accepted the transaction; "sent" is not yet journaled.</summary>
    Broadcast,

    /// <summary>"Sent" is journaled.</summary>
    Sent,

    /// <summary>
    /// The node refused a transaction of the intent while another of its transactions (or these bytes, broadcast before
    /// a restart) may still be mined; the intent stays open and nothing new is journaled.
    /// </summary>
    Rejected,

    /// <summary>
    /// A receipt of the intent was read while it waits for its confirmations (nothing is journaled until they are reached;
    /// a test can reorganize the chain here).
    /// </summary>
    ReceiptSeen,
}
