using System.Numerics;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Transactions;

/// <summary>The life of an intent: intent → signed (hash, nonce, raw) → sent → confirmed | failed.</summary>
public enum ExecutionStep
{
    /// <summary>The intent is recorded; nothing is signed.</summary>
    Intent,

    /// <summary>A transaction is signed and recorded, perhaps not yet sent.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The step a transaction is signed in, not a numeric type.")]
    Signed,

    /// <summary>The node accepted the signed transaction.</summary>
    Sent,

    /// <summary>Mined successfully with the required confirmations.</summary>
    Confirmed,

    /// <summary>Reverted on chain, reverted in gas estimation, or rejected by the node.</summary>
    Failed,
}

/// <summary>One signed transaction of an intent. Replacements add attempts with the same nonce and higher fees.</summary>
/// <param name="Nonce">The nonce.</param>
/// <param name="Hash">The transaction hash (0x hex).</param>
/// <param name="Raw">The exact signed bytes; a restart re-broadcasts these, never re-signs them.</param>
/// <param name="Fees">The fees offered.</param>
/// <param name="GasLimit">The gas limit.</param>
public sealed record SignedAttempt(BigInteger Nonce, string Hash, byte[] Raw, Eip1559Fees Fees, BigInteger GasLimit);

/// <summary>The journal's folded view of one intent.</summary>
public sealed record JournalEntry
{
    /// <summary>The intent.</summary>
    public required TransactionIntent Intent { get; init; }

    /// <summary>The sending account.</summary>
    public required EthAddress From { get; init; }

    /// <summary>The latest step reached.</summary>
    public required ExecutionStep Step { get; init; }

    /// <summary>Signed transactions, oldest first (more than one after replacements or a nonce re-sync).</summary>
    public IReadOnlyList<SignedAttempt> Attempts { get; init; } = [];

    /// <summary>Hashes the node accepted.</summary>
    public IReadOnlySet<string> SentHashes { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The mined transaction's hash, once confirmed or reverted on chain.</summary>
    public string? MinedHash { get; init; }

    /// <summary>The block that included it.</summary>
    public BigInteger? BlockNumber { get; init; }

    /// <summary>Gas used by the mined transaction.</summary>
    public BigInteger? GasUsed { get; init; }

    /// <summary>Why it failed, when it did.</summary>
    public string? FailureReason { get; init; }

    /// <summary>The revert data, when the failure was a revert that returned data.</summary>
    public byte[]? RevertData { get; init; }

    /// <summary>Confirmed or failed: nothing more will be sent.</summary>
    public bool IsFinished => Step is ExecutionStep.Confirmed or ExecutionStep.Failed;
}
