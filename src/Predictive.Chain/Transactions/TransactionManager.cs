using System.Numerics;
using Predictive.Chain.Abi;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Sends intents from one account: journal first, then act. Chooses nonces (the lowest at or above the node's pending count that no unfinished journal entry holds), gas (estimate
/// plus margin) and EIP-1559 fees (<see cref="FeeEstimator"/>, capped), waits for confirmations, replaces stuck
/// transactions under the same nonce with higher fees, and decodes reverts. After a restart, <see cref="ResumeAsync"/>
/// (or submitting the same intent again) re-broadcasts the journaled raw bytes instead of signing anew, so one intent
/// never yields two different transactions that could both be mined.
/// </summary>
public sealed class TransactionManager : IDisposable
{
    private readonly EvmRpcClient _client;
    private readonly PrivateKey _signer;
    private readonly ExecutionJournal _journal;
    private readonly NonceAllocator _nonces;
    private readonly FeeEstimator _fees;
    private readonly TransactionManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<AbiError> _knownErrors;
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Hashes signed by this instance and not yet handed to the node: the only bytes known never to have left.</summary>
    private readonly HashSet<string> _neverBroadcast = new(StringComparer.OrdinalIgnoreCase);
    private BigInteger? _chainId;

    /// <summary>Creates a manager for the account of <paramref name="signer"/>.</summary>
    /// <param name="client">The node.</param>
    /// <param name="signer">The account's key.</param>
    /// <param name="journal">The execution journal (one per account and process).</param>
    /// <param name="options">Gas, fee and confirmation policy (validated here).</param>
    /// <param name="timeProvider">The clock for waits and stuck detection.</param>
    /// <param name="knownErrors">Custom errors of the called contracts, for decoding reverts.</param>
    public TransactionManager(
        EvmRpcClient client, PrivateKey signer, ExecutionJournal journal, TransactionManagerOptions options,
        TimeProvider? timeProvider = null, IEnumerable<AbiError>? knownErrors = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _signer = signer;
        _journal = journal;
        _nonces = new NonceAllocator(client);
        _fees = new FeeEstimator(client, options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _knownErrors = [.. knownErrors ?? []];
    }

    /// <summary>The sending account.</summary>
    public EthAddress Account => _signer.Address;

    /// <summary>The journal.</summary>
    public ExecutionJournal Journal => _journal;

    /// <summary>The node client.</summary>
    public EvmRpcClient Client => _client;

    /// <summary>Runs after each journal step (e.g. a test throws here to simulate a crash between steps).</summary>
    public Func<ExecutionCheckpoint, JournalEntry, ValueTask>? Checkpoint { get; init; }

    /// <inheritdoc/>
    public void Dispose() => _sending.Dispose();

    /// <summary>Submits and waits: <see cref="SubmitAsync"/> then <see cref="WaitAsync"/>.</summary>
    public async Task<ExecutionResult> ExecuteAsync(TransactionIntent intent, CancellationToken cancellationToken = default)
    {
        var entry = await SubmitAsync(intent, cancellationToken).ConfigureAwait(false);
        return await WaitAsync(entry.Intent.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Journals the intent, signs and broadcasts its transaction. Idempotent per intent id: a known intent continues from
    /// its journaled step (re-broadcasting the same raw bytes) and a finished one is returned as it is.
    /// A revert during gas estimation finishes the intent as failed without sending anything.
    /// </summary>
    /// <exception cref="ArgumentException">The id is journaled with a different recipient, data or value.</exception>
    /// <exception cref="FeeCapExceededException">Fees are above the cap; the intent stays open.</exception>
    public async Task<JournalEntry> SubmitAsync(TransactionIntent intent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intent);
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entry = _journal.Find(intent.Id);
            if (entry is null)
            {
                entry = _journal.RecordIntent(intent, Account);
                await RunCheckpointAsync(ExecutionCheckpoint.IntentRecorded, entry).ConfigureAwait(false);
            }
            else if (!entry.Intent.SameAs(intent) || entry.From != Account)
            {
                throw new ArgumentException($"Intent '{intent.Id}' is already journaled for {entry.From} with a different recipient, data or value.", nameof(intent));
            }

            if (entry.IsFinished)
            {
                return entry;
            }

            if (entry.Attempts.Count == 0)
            {
                var signed = await SignNewAsync(entry, cancellationToken).ConfigureAwait(false);
                if (signed.IsFinished)
                {
                    return signed;
                }

                entry = signed;
            }

            return await BroadcastAsync(entry, entry.Attempts[^1], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// Waits until one of the intent's transactions has the configured confirmations, replacing it with higher fees
    /// when it is not mined within <see cref="TransactionManagerOptions.StuckAfter"/>. A revert is reported with the
    /// reason decoded from an eth_call replay at the including block.
    /// </summary>
    /// <exception cref="TimeoutException">Not confirmed within <see cref="TransactionManagerOptions.ReceiptTimeout"/>; the entry stays open.</exception>
    public async Task<ExecutionResult> WaitAsync(string intentId, CancellationToken cancellationToken = default)
    {
        var entry = _journal.Find(intentId) ?? throw new ArgumentException($"Intent '{intentId}' is not in the journal.", nameof(intentId));
        var started = _time.GetUtcNow();
        var lastSent = started;
        while (true)
        {
            if (entry.IsFinished)
            {
                return await ResultOfAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            var receipt = await FindReceiptAsync(entry, cancellationToken).ConfigureAwait(false);
            if (receipt is not null)
            {
                var head = await _client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
                if (head - receipt.BlockNumber + 1 >= _options.Confirmations)
                {
                    entry = await FinishAsync(entry, receipt, cancellationToken).ConfigureAwait(false);
                    return await ResultOfAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (_time.GetUtcNow() - lastSent >= _options.StuckAfter && entry.Attempts.Count > 0)
            {
                entry = await ReplaceAsync(entry, cancellationToken).ConfigureAwait(false);
                lastSent = _time.GetUtcNow();
                continue;
            }

            if (_time.GetUtcNow() - started >= _options.ReceiptTimeout)
            {
                throw new TimeoutException($"Intent '{intentId}' ({entry.Step}, {entry.Attempts.Count} attempt(s)) was not confirmed within {_options.ReceiptTimeout}; it stays open in the journal.");
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Continues every unfinished intent of this account in the journal (after a restart) and waits for each.</summary>
    public async Task<IReadOnlyList<ExecutionResult>> ResumeAsync(CancellationToken cancellationToken = default)
    {
        var results = new List<ExecutionResult>();
        foreach (var entry in _journal.Entries.Where(e => !e.IsFinished && e.From == Account))
        {
            await SubmitAsync(entry.Intent, cancellationToken).ConfigureAwait(false);
            results.Add(await WaitAsync(entry.Intent.Id, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    private async Task<JournalEntry> SignNewAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var intent = entry.Intent;
        BigInteger estimate;
        try
        {
            estimate = await _client.EstimateGasAsync(CallOf(intent), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcErrorException e) when (e.RevertData is not null || e.Code == 3)
        {
            var reason = RevertReason.Decode(e.RevertData ?? [], _knownErrors);
            return _journal.RecordFailed(intent.Id, $"reverted in gas estimation: {reason.Message}", e.RevertData ?? [], null, null, null);
        }

        var gasLimit = (estimate * (100 + _options.GasMarginPercent) / 100) + intent.GasAllowance;
        var fees = await _fees.EstimateAsync(cancellationToken).ConfigureAwait(false);
        var nonce = await _nonces.NextAsync(Account, InFlightNonces(), cancellationToken).ConfigureAwait(false);
        return await SignAsync(entry, nonce, fees, gasLimit, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JournalEntry> SignAsync(JournalEntry entry, BigInteger nonce, Eip1559Fees fees, BigInteger gasLimit, CancellationToken cancellationToken)
    {
        _chainId ??= await _client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        var transaction = new Eip1559Transaction
        {
            ChainId = _chainId.Value, Nonce = nonce, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas, MaxFeePerGas = fees.MaxFeePerGas,
            GasLimit = gasLimit, To = entry.Intent.To, Value = entry.Intent.Value, Data = entry.Intent.Data,
        };
        var signed = transaction.Sign(_signer);
        entry = _journal.RecordSigned(entry.Intent.Id, new SignedAttempt(nonce, signed.HashHex, signed.Raw, fees, gasLimit));
        _neverBroadcast.Add(signed.HashHex);
        await RunCheckpointAsync(ExecutionCheckpoint.Signed, entry).ConfigureAwait(false);
        return entry;
    }

    private async Task<JournalEntry> BroadcastAsync(JournalEntry entry, SignedAttempt attempt, CancellationToken cancellationToken)
    {
        var firstBroadcast = _neverBroadcast.Remove(attempt.Hash);
        try
        {
            await _client.SendRawTransactionAsync(attempt.Raw, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcErrorException e) when (NodeErrors.IsAlreadyKnown(e.NodeMessage))
        {
            // The node has these exact bytes already (a re-broadcast after a restart): nothing else to do.
        }
        catch (RpcErrorException e) when (NodeErrors.IsNonceTooLow(e.NodeMessage))
        {
            if (await NonceMinedAsOursAsync(entry, attempt.Nonce, cancellationToken).ConfigureAwait(false))
            {
                return entry; // One of ours took the nonce: mined already; WaitAsync records the outcome.
            }

            // Another transaction took the nonce, so none of this intent's signed transactions can ever be mined;
            // signing again with a fresh nonce cannot produce a second execution.
            var nonce = await _nonces.NextAsync(Account, InFlightNonces(), cancellationToken).ConfigureAwait(false);
            var fees = await _fees.EstimateAsync(cancellationToken).ConfigureAwait(false);
            entry = await SignAsync(entry, nonce, fees, attempt.GasLimit, cancellationToken).ConfigureAwait(false);
            return await BroadcastAsync(entry, entry.Attempts[^1], cancellationToken).ConfigureAwait(false);
        }
        catch (RpcErrorException e) when (NodeErrors.IsPermanentRejection(e.NodeMessage))
        {
            if (await MayStillBeMinedAsync(entry, attempt, firstBroadcast, cancellationToken).ConfigureAwait(false))
            {
                // A refused replacement (or re-broadcast) says nothing about the intent's other transactions: one may still
                // be mined, so failing the intent here would let a later run trade again. It stays open until its nonce is mined.
                await RunCheckpointAsync(ExecutionCheckpoint.Rejected, entry).ConfigureAwait(false);
                return entry;
            }

            // Only these bytes were ever signed, they never left this process before, and the node refused them: nothing is pending.
            return _journal.RecordFailed(entry.Intent.Id, $"rejected by the node: {e.NodeMessage}", null, null, null, null);
        }

        await RunCheckpointAsync(ExecutionCheckpoint.Broadcast, entry).ConfigureAwait(false);
        entry = _journal.RecordSent(entry.Intent.Id, attempt.Hash);
        await RunCheckpointAsync(ExecutionCheckpoint.Sent, entry).ConfigureAwait(false);
        return entry;
    }

    private async Task<JournalEntry> ReplaceAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var latest = entry.Attempts[^1];
            var fees = await _fees.EstimateReplacementAsync(latest.Fees, cancellationToken).ConfigureAwait(false);
            entry = await SignAsync(entry, latest.Nonce, fees, latest.GasLimit, cancellationToken).ConfigureAwait(false);
            return await BroadcastAsync(entry, entry.Attempts[^1], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task<JournalEntry> FinishAsync(JournalEntry entry, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        if (receipt.Succeeded)
        {
            return _journal.RecordConfirmed(entry.Intent.Id, receipt.TransactionHash, receipt.BlockNumber, receipt.GasUsed);
        }

        var (message, data) = await ReplayRevertAsync(entry, receipt, cancellationToken).ConfigureAwait(false);
        return _journal.RecordFailed(entry.Intent.Id, message, data, receipt.TransactionHash, receipt.BlockNumber, receipt.GasUsed);
    }

    /// <summary>Receipts carry no revert data, so the call is replayed at the including block to recover it.</summary>
    private async Task<(string Message, byte[]? Data)> ReplayRevertAsync(JournalEntry entry, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var attempt = entry.Attempts.FirstOrDefault(a => string.Equals(a.Hash, receipt.TransactionHash, StringComparison.OrdinalIgnoreCase));
        var call = CallOf(entry.Intent) with { Gas = attempt?.GasLimit };
        try
        {
            await _client.CallAsync(call, BlockTag.Number(receipt.BlockNumber), cancellationToken).ConfigureAwait(false);
            var outOfGas = attempt is not null && receipt.GasUsed >= attempt.GasLimit ? " (all gas used: probably out of gas)" : string.Empty;
            return ($"reverted in block {receipt.BlockNumber}; the replay at that block did not revert{outOfGas}", null);
        }
        catch (RpcErrorException e)
        {
            var reason = RevertReason.Decode(e.RevertData ?? [], _knownErrors);
            return ($"reverted in block {receipt.BlockNumber}: {reason.Message}", e.RevertData ?? []);
        }
    }

    /// <summary>
    /// After "nonce too low": whether the transaction a block holds at <paramref name="nonce"/> is one of this intent's.
    /// The node's answer only says the nonce is used, possibly by a transaction still waiting to be mined, or mined a
    /// moment before its receipt can be read; so this first waits until a block includes the nonce, and only then is
    /// a missing receipt proof that another transaction took it (concluding that earlier would sign the intent again).
    /// </summary>
    /// <exception cref="TimeoutException">No block includes the nonce within <see cref="TransactionManagerOptions.ReceiptTimeout"/>; the entry stays open.</exception>
    private async Task<bool> NonceMinedAsOursAsync(JournalEntry entry, BigInteger nonce, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        while (await _client.GetTransactionCountAsync(Account, BlockTag.Latest, cancellationToken).ConfigureAwait(false) <= nonce)
        {
            if (_time.GetUtcNow() - started >= _options.ReceiptTimeout)
            {
                throw new TimeoutException($"Intent '{entry.Intent.Id}': the node reports nonce {nonce} as used, but no block included it within {_options.ReceiptTimeout}; it stays open in the journal.");
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return await FindReceiptAsync(entry, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// After the node refused <paramref name="refused"/>: whether any transaction of the intent may still be mined. That is
    /// the refused bytes themselves unless this was their first broadcast, and every other attempt whose nonce no block has
    /// taken yet (an attempt whose nonce is mined, by ours or another, can never be mined again).
    /// </summary>
    private async Task<bool> MayStillBeMinedAsync(JournalEntry entry, SignedAttempt refused, bool firstBroadcast, CancellationToken cancellationToken)
    {
        var candidates = entry.Attempts.Where(a => !firstBroadcast || a.Hash != refused.Hash).ToList();
        if (candidates.Count == 0)
        {
            return false;
        }

        var mined = await _client.GetTransactionCountAsync(Account, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        return candidates.Any(a => a.Nonce >= mined);
    }

    private async Task<TransactionReceipt?> FindReceiptAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        // Newest first: after a replacement the newer transaction is the likelier one to be mined.
        for (var i = entry.Attempts.Count - 1; i >= 0; i--)
        {
            if (await _client.GetTransactionReceiptAsync(entry.Attempts[i].Hash, cancellationToken).ConfigureAwait(false) is { } receipt)
            {
                return receipt;
            }
        }

        return null;
    }

    private async Task<ExecutionResult> ResultOfAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var receipt = entry.MinedHash is null ? null : await _client.GetTransactionReceiptAsync(entry.MinedHash, cancellationToken).ConfigureAwait(false);
        var revert = entry.RevertData is null ? null : RevertReason.Decode(entry.RevertData, _knownErrors);
        return new ExecutionResult(entry, receipt, revert);
    }

    private HashSet<BigInteger> InFlightNonces() =>
        [.. _journal.Entries.Where(e => !e.IsFinished && e.From == Account).SelectMany(e => e.Attempts.Select(a => a.Nonce))];

    private CallRequest CallOf(TransactionIntent intent) => new(intent.To, intent.Data) { From = Account, Value = intent.Value };

    private ValueTask RunCheckpointAsync(ExecutionCheckpoint checkpoint, JournalEntry entry) =>
        Checkpoint is null ? ValueTask.CompletedTask : Checkpoint(checkpoint, entry);
}
