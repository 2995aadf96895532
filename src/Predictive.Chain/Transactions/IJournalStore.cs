namespace Predictive.Chain.Transactions;

/// <summary>
/// Where an <see cref="ExecutionJournal"/> keeps its records: a file on the node's disk (<see cref="FileJournalStore"/>,
/// one process) or a table in a database several nodes share (the operator's SQL store). Records are opaque JSON text
/// to the store; the journal parses and checks them.
/// </summary>
/// <remarks>
/// The crash-safety contract: <see cref="Append"/> returns only once the record is durable (a restart, here or on another
/// node, replays it), and a store shared by several nodes refuses a second <see cref="ExecutionStep.Intent"/> record for
/// one intent id by throwing, so two nodes can never both record, sign and send the same intent.
/// </remarks>
public interface IJournalStore
{
    /// <summary>A description for messages: the file's path, or the table and journal name.</summary>
    string Name { get; }

    /// <summary>Every durable record, oldest first.</summary>
    IReadOnlyList<string> Load();

    /// <summary>Appends <paramref name="record"/> (one JSON object, no newline) for <paramref name="intentId"/> durably.</summary>
    /// <exception cref="JournalConflictException">A shared store already holds an intent record for <paramref name="intentId"/>.</exception>
    void Append(string intentId, ExecutionStep kind, string record);
}

/// <summary>A shared journal store refused a record: another writer already recorded that intent.</summary>
public sealed class JournalConflictException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public JournalConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public JournalConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public JournalConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
