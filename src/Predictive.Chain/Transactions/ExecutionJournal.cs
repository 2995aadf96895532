using Nethereum.Hex.HexConvertors.Extensions;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Transactions;

/// <summary>
/// An append-only journal of executions. Every step is made durable in its <see cref="IJournalStore"/> before the manager
/// acts on it, so a restart (on this node, or on another node sharing the store) knows exactly what was signed (with
/// the raw bytes) and what was sent. Safe for concurrent use within one process.
/// </summary>
public sealed class ExecutionJournal
{
    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JournalEntry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IJournalStore _store;

    private ExecutionJournal(IJournalStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>The journal file (for a <see cref="FileJournalStore"/>), or the store's name.</summary>
    public string FilePath => _store.Name;

    /// <summary>All entries.</summary>
    public IReadOnlyList<JournalEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries.Values];
            }
        }
    }

    /// <summary>Opens the journal at <paramref name="path"/> (creating it on first write) and replays its records.</summary>
    /// <exception cref="InvalidDataException">A record other than a torn last line does not parse.</exception>
    public static ExecutionJournal Open(string path, TimeProvider? timeProvider = null) => Open(new FileJournalStore(path), timeProvider);

    /// <summary>Opens the journal kept in <paramref name="store"/> and replays its records.</summary>
    /// <exception cref="InvalidDataException">A record does not parse, or the records are out of order.</exception>
    public static ExecutionJournal Open(IJournalStore store, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var journal = new ExecutionJournal(store, timeProvider ?? TimeProvider.System);
        var lineNumber = 0;
        foreach (var line in store.Load())
        {
            lineNumber++;
            JournalRecord record;
            try
            {
                record = JsonSerializer.Deserialize<JournalRecord>(line, Json) ?? throw new JsonException("null record");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"Journal '{store.Name}' record {lineNumber} is not a journal record: {e.Message}", e);
            }

            journal.Apply(record);
        }

        return journal;
    }

    /// <summary>The entry of <paramref name="intentId"/>, or null.</summary>
    public JournalEntry? Find(string intentId)
    {
        lock (_gate)
        {
            return _entries.GetValueOrDefault(intentId);
        }
    }

    internal JournalEntry RecordIntent(TransactionIntent intent, EthAddress from) => Append(new JournalRecord
    {
        IntentId = intent.Id, Step = ExecutionStep.Intent, From = from.ToString(), To = intent.To?.ToString(),
        Data = intent.Data.ToHex(true), Value = Dec(intent.Value), GasAllowance = intent.GasAllowance.IsZero ? null : Dec(intent.GasAllowance),
    });

    internal JournalEntry RecordSigned(string intentId, SignedAttempt attempt) => Append(new JournalRecord
    {
        IntentId = intentId, Step = ExecutionStep.Signed, Nonce = Dec(attempt.Nonce), Hash = attempt.Hash, Raw = attempt.Raw.ToHex(true),
        MaxFeePerGas = Dec(attempt.Fees.MaxFeePerGas), MaxPriorityFeePerGas = Dec(attempt.Fees.MaxPriorityFeePerGas),
        BaseFeePerGas = Dec(attempt.Fees.BaseFeePerGas), GasLimit = Dec(attempt.GasLimit),
    });

    internal JournalEntry RecordSent(string intentId, string hash) =>
        Append(new JournalRecord { IntentId = intentId, Step = ExecutionStep.Sent, Hash = hash });

    /// <summary>The block that held <paramref name="hash"/> is gone (a reorganization): the intent is pending again, with its journaled transactions.</summary>
    internal JournalEntry RecordReorged(string intentId, string hash, BigInteger block) => Append(new JournalRecord
    {
        IntentId = intentId, Step = ExecutionStep.Sent, Hash = hash, BlockNumber = Dec(block),
        Reason = $"reorganized out: block {block} no longer holds {hash}",
    });

    internal JournalEntry RecordConfirmed(string intentId, string hash, BigInteger block, BigInteger gasUsed) => Append(new JournalRecord
    {
        IntentId = intentId, Step = ExecutionStep.Confirmed, Hash = hash, BlockNumber = Dec(block), GasUsed = Dec(gasUsed),
    });

    internal JournalEntry RecordFailed(string intentId, string reason, byte[]? revertData, string? hash, BigInteger? block, BigInteger? gasUsed) => Append(new JournalRecord
    {
        IntentId = intentId, Step = ExecutionStep.Failed, Reason = reason, RevertData = revertData is null ? null : revertData.ToHex(true),
        Hash = hash, BlockNumber = block is { } b ? Dec(b) : null, GasUsed = gasUsed is { } g ? Dec(g) : null,
    });

    private JournalEntry Append(JournalRecord record)
    {
        record = record with { At = _time.GetUtcNow() };
        var line = JsonSerializer.Serialize(record, Json);
        lock (_gate)
        {
            // Checked against the entries first (a record out of order throws before anything is written); undone in
            // memory when the store refuses it, so memory never holds what the store does not.
            var before = _entries.GetValueOrDefault(record.IntentId);
            var entry = Apply(record);
            try
            {
                _store.Append(record.IntentId, record.Step, line);
            }
            catch
            {
                if (before is null)
                {
                    _entries.Remove(record.IntentId);
                }
                else
                {
                    _entries[record.IntentId] = before;
                }

                throw;
            }

            return entry;
        }
    }

    private JournalEntry Apply(JournalRecord r)
    {
        lock (_gate)
        {
            var current = _entries.GetValueOrDefault(r.IntentId);
            if (current is null != (r.Step == ExecutionStep.Intent))
            {
                throw new InvalidDataException($"Journal '{FilePath}': record {r.Step} for intent '{r.IntentId}' {(current is null ? "comes before its intent" : "repeats its intent")}.");
            }

            var next = r.Step switch
            {
                ExecutionStep.Intent => new JournalEntry
                {
                    Intent = new TransactionIntent(r.IntentId, r.To is null ? null : EthAddress.Parse(r.To), r.Data!.HexToByteArray(), Int(r.Value))
                    {
                        GasAllowance = r.GasAllowance is null ? BigInteger.Zero : Int(r.GasAllowance),
                    },
                    From = EthAddress.Parse(r.From!),
                    Step = ExecutionStep.Intent,
                },
                ExecutionStep.Signed => current! with
                {
                    Step = ExecutionStep.Signed,
                    Attempts = [.. current.Attempts, new SignedAttempt(
                        Int(r.Nonce), r.Hash!, r.Raw!.HexToByteArray(),
                        new Eip1559Fees(Int(r.MaxFeePerGas), Int(r.MaxPriorityFeePerGas), Int(r.BaseFeePerGas)), Int(r.GasLimit))],
                },
                // Also after a reorganization took a mined (confirmed or reverted) transaction out of the chain: pending again.
                ExecutionStep.Sent => current! with
                {
                    Step = ExecutionStep.Sent,
                    SentHashes = new HashSet<string>(current.SentHashes.Append(r.Hash!), StringComparer.OrdinalIgnoreCase),
                    MinedHash = null, BlockNumber = null, GasUsed = null, FailureReason = null, RevertData = null,
                },
                ExecutionStep.Confirmed => current! with
                {
                    Step = ExecutionStep.Confirmed, MinedHash = r.Hash, BlockNumber = Int(r.BlockNumber), GasUsed = Int(r.GasUsed),
                },
                _ => current! with
                {
                    Step = ExecutionStep.Failed, MinedHash = r.Hash, FailureReason = r.Reason,
                    BlockNumber = r.BlockNumber is null ? null : Int(r.BlockNumber), GasUsed = r.GasUsed is null ? null : Int(r.GasUsed),
                    RevertData = r.RevertData is null ? null : r.RevertData.HexToByteArray(),
                },
            };
            _entries[r.IntentId] = next;
            return next;
        }
    }

    private static string Dec(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static BigInteger Int(string? value) =>
        BigInteger.Parse(value ?? throw new InvalidDataException("A journal record lacks a number it needs."), NumberStyles.None, CultureInfo.InvariantCulture);
}

/// <summary>One line of the journal file.</summary>
internal sealed record JournalRecord
{
    public required string IntentId { get; init; }

    public required ExecutionStep Step { get; init; }

    public DateTimeOffset At { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Data { get; init; }

    public string? Value { get; init; }

    /// <summary>The intent's gas allowance; absent when zero (and in journals written before it existed).</summary>
    public string? GasAllowance { get; init; }

    public string? Nonce { get; init; }

    public string? Hash { get; init; }

    public string? Raw { get; init; }

    public string? MaxFeePerGas { get; init; }

    public string? MaxPriorityFeePerGas { get; init; }

    public string? BaseFeePerGas { get; init; }

    public string? GasLimit { get; init; }

    public string? BlockNumber { get; init; }

    public string? GasUsed { get; init; }

    public string? Reason { get; init; }

    public string? RevertData { get; init; }
}
