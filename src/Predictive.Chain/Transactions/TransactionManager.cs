using System.Numerics;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Sends intents from one account: journal first, then act. The rules live in one place each: gas limits
/// (<see cref="GasLimitPolicy"/>), nonces (<see cref="NonceAllocator"/>: the node's pending count stepped past the
/// journal's in-flight nonces), fees and the replacement bump (<see cref="FeeEstimator"/>, capped), signing
/// (<see cref="IntentSigner"/>, Nethereum), broadcast (<see cref="Broadcaster"/>), receipts and mined nonces
/// (<see cref="ReceiptTracker"/>) and revert replay (<see cref="RevertReplayer"/>). This class holds the sequence:
/// submit, wait for confirmations, replace stuck transactions under the same nonce, and resume after a restart by
/// re-broadcasting the journaled raw bytes instead of signing anew, so one intent never yields two different
/// transactions that could both be mined.
/// </summary>
public sealed class TransactionManager : IDisposable
{
    private readonly EvmRpcClient _client;
    private readonly PrivateKey _signer;
    private readonly ExecutionJournal _journal;
    private readonly NonceAllocator _nonces;
    private readonly FeeEstimator _fees;
    private readonly GasLimitPolicy _gas;
    private readonly IntentSigner _signing;
    private readonly Broadcaster _broadcaster;
    private readonly ReceiptTracker _receipts;
    private readonly RevertReplayer _reverts;
    private readonly TransactionManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Creates a manager for the account of <paramref name="signer"/>.</summary>
    /// <param name="client">The node.</param>
    /// <param name="signer">The account's key.</param>
    /// <param name="journal">The execution journal (one per account and process).</param>
    /// <param name="options">Gas, fee and confirmation policy (validated here).</param>
    /// <param name="timeProvider">The clock for waits and stuck detection.</param>
    /// <param name="knownErrors">Custom errors of the called contracts, for decoding reverts.</param>
    public TransactionManager(
        EvmRpcClient client, PrivateKey signer, ExecutionJournal journal, TransactionManagerOptions options,
        TimeProvider? timeProvider = null, IEnumerable<ErrorABI>? knownErrors = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _signer = signer;
        _journal = journal;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _nonces = new NonceAllocator(client);
        _fees = new FeeEstimator(client, options);
        _gas = new GasLimitPolicy(client, options);
        _signing = new IntentSigner(client, signer, journal);
        _broadcaster = new Broadcaster(client);
        _receipts = new ReceiptTracker(client, signer.Address, options, _time);
        _reverts = new RevertReplayer(client, [.. knownErrors ?? []]);
    }

    /// <summary>The sending account.</summary>
    public EthAddress Account => _signer.Address;

    /// <summary>The journal.</summary>
    public ExecutionJournal Journal => _journal;

    /// <summary>Executes a typed call of <paramref name="contract"/> as intent <paramref name="intentId"/> and throws if it fails.</summary>
    /// <exception cref="TransactionFailedException">The transaction reverted or was rejected.</exception>
    public async Task<ExecutionResult> SendAsync<TFunction>(string intentId, EthAddress contract, TFunction message, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(message);
        var result = await ExecuteAsync(new TransactionIntent(intentId, contract, message.GetCallData()), cancellationToken).ConfigureAwait(false);
        return result.EnsureSucceeded();
    }

    /// <summary>Deploys init code (see <see cref="ContractArtifact.DeploymentData"/>) as intent <paramref name="intentId"/> and returns the new contract's address.</summary>
    /// <exception cref="TransactionFailedException">The deployment reverted or was rejected.</exception>
    public async Task<EthAddress> DeployAsync(string intentId, byte[] initCode, CancellationToken cancellationToken = default)
    {
        var result = (await ExecuteAsync(new TransactionIntent(intentId, null, initCode), cancellationToken).ConfigureAwait(false)).EnsureSucceeded();
        return result.Receipt?.ContractAddress is { } address
            ? EthAddress.Parse(address.ToLowerInvariant())
            : throw new InvalidOperationException($"Deployment '{intentId}' was mined without a contract address.");
    }

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
        TransactionReceipt? seen = null;
        while (true)
        {
            if (entry.IsFinished)
            {
                return await ResultOfAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            var receipt = await _receipts.FindAsync(entry, cancellationToken).ConfigureAwait(false);
            if (receipt is null && seen is not null)
            {
                // The block that held it was reorganized away before the confirmations were reached. The journaled raw bytes
                // go out again (same nonce, same hash), so the intent can still be mined only once.
                seen = null;
                entry = await SubmitAsync(entry.Intent, cancellationToken).ConfigureAwait(false);
                lastSent = _time.GetUtcNow();
                continue;
            }

            if (receipt is not null)
            {
                if (seen?.BlockHash != receipt.BlockHash)
                {
                    seen = receipt;
                    await RunCheckpointAsync(ExecutionCheckpoint.ReceiptSeen, entry).ConfigureAwait(false);
                }

                var head = await _client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
                if (head - receipt.BlockNumber.Value + 1 >= _options.Confirmations)
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

    /// <summary>
    /// Continues every unfinished intent of this account in the journal (after a restart) and waits for each; first
    /// reopens those whose mined transaction a reorganization took out of the chain (<see cref="ReopenReorganizedAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<ExecutionResult>> ResumeAsync(CancellationToken cancellationToken = default)
    {
        await ReopenReorganizedAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<ExecutionResult>();
        foreach (var entry in _journal.Entries.Where(e => !e.IsFinished && e.From == Account))
        {
            await SubmitAsync(entry.Intent, cancellationToken).ConfigureAwait(false);
            results.Add(await WaitAsync(entry.Intent.Id, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>
    /// Checks this account's journaled mined transactions (confirmed or reverted) from the last
    /// <see cref="TransactionManagerOptions.ReorgWindowBlocks"/> blocks: one whose receipt the node no longer has was
    /// taken out by a reorganization, so its intent is journaled as pending again (and <see cref="ResumeAsync"/> re-broadcasts
    /// the same signed bytes). Returns the reopened entries.
    /// </summary>
    public async Task<IReadOnlyList<JournalEntry>> ReopenReorganizedAsync(CancellationToken cancellationToken = default)
    {
        var head = await _client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        var reopened = new List<JournalEntry>();
        foreach (var entry in _journal.Entries.Where(e => e.IsFinished && e.From == Account && e.MinedHash is not null && e.BlockNumber is { } block && head - block < _options.ReorgWindowBlocks))
        {
            if (await _client.GetTransactionReceiptAsync(entry.MinedHash!, cancellationToken).ConfigureAwait(false) is null)
            {
                reopened.Add(_journal.RecordReorged(entry.Intent.Id, entry.MinedHash!, entry.BlockNumber!.Value));
            }
        }

        return reopened;
    }

    private async Task<JournalEntry> SignNewAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var intent = entry.Intent;
        var (gasLimit, revertData) = await _gas.LimitAsync(CallOf(intent), intent.GasAllowance, cancellationToken).ConfigureAwait(false);
        if (gasLimit is null)
        {
            return _journal.RecordFailed(intent.Id, $"reverted in gas estimation: {_reverts.Decode(revertData!).Message}", revertData, null, null, null);
        }

        var fees = await _fees.EstimateAsync(cancellationToken).ConfigureAwait(false);
        var nonce = await _nonces.NextAsync(Account, InFlightNonces(), cancellationToken).ConfigureAwait(false);
        return await SignAsync(entry, nonce, fees, gasLimit.Value, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JournalEntry> SignAsync(JournalEntry entry, BigInteger nonce, Eip1559Fees fees, BigInteger gasLimit, CancellationToken cancellationToken)
    {
        entry = await _signing.SignAsync(entry, nonce, fees, gasLimit, cancellationToken).ConfigureAwait(false);
        await RunCheckpointAsync(ExecutionCheckpoint.Signed, entry).ConfigureAwait(false);
        return entry;
    }

    private async Task<JournalEntry> BroadcastAsync(JournalEntry entry, SignedAttempt attempt, CancellationToken cancellationToken)
    {
        var firstBroadcast = _signing.TakeFirstBroadcast(attempt);
        var (outcome, nodeMessage) = await _broadcaster.SendAsync(attempt, cancellationToken).ConfigureAwait(false);
        switch (outcome)
        {
            case BroadcastOutcome.NonceTooLow:
                if (await _receipts.NonceMinedAsOursAsync(entry, attempt.Nonce, cancellationToken).ConfigureAwait(false))
                {
                    return entry; // One of ours took the nonce: mined already; WaitAsync records the outcome.
                }

                // Another transaction took the nonce, so none of this intent's signed transactions can ever be mined;
                // signing again with a fresh nonce cannot produce a second execution.
                var nonce = await _nonces.NextAsync(Account, InFlightNonces(), cancellationToken).ConfigureAwait(false);
                var fees = await _fees.EstimateAsync(cancellationToken).ConfigureAwait(false);
                entry = await SignAsync(entry, nonce, fees, attempt.GasLimit, cancellationToken).ConfigureAwait(false);
                return await BroadcastAsync(entry, entry.Attempts[^1], cancellationToken).ConfigureAwait(false);
            case BroadcastOutcome.Rejected when await _receipts.MayStillBeMinedAsync(entry, attempt, firstBroadcast, cancellationToken).ConfigureAwait(false):
                // A refused replacement (or re-broadcast) says nothing about the intent's other transactions: one may still
                // be mined, so failing the intent here would let a later run trade again. It stays open until its nonce is mined.
                await RunCheckpointAsync(ExecutionCheckpoint.Rejected, entry).ConfigureAwait(false);
                return entry;
            case BroadcastOutcome.Rejected:
                // Only these bytes were ever signed, they never left this process before, and the node refused them: nothing is pending.
                return _journal.RecordFailed(entry.Intent.Id, $"rejected by the node: {nodeMessage}", null, null, null, null);
            default:
                // Accepted, or the node has these exact bytes already (a re-broadcast after a restart).
                await RunCheckpointAsync(ExecutionCheckpoint.Broadcast, entry).ConfigureAwait(false);
                entry = _journal.RecordSent(entry.Intent.Id, attempt.Hash);
                await RunCheckpointAsync(ExecutionCheckpoint.Sent, entry).ConfigureAwait(false);
                return entry;
        }
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
        if (receipt.Status?.Value == 1)
        {
            return _journal.RecordConfirmed(entry.Intent.Id, receipt.TransactionHash, receipt.BlockNumber.Value, receipt.GasUsed.Value);
        }

        var (message, data) = await _reverts.ReplayAsync(entry, CallOf(entry.Intent), receipt, cancellationToken).ConfigureAwait(false);
        return _journal.RecordFailed(entry.Intent.Id, message, data, receipt.TransactionHash, receipt.BlockNumber.Value, receipt.GasUsed.Value);
    }

    private async Task<ExecutionResult> ResultOfAsync(JournalEntry entry, CancellationToken cancellationToken)
    {
        var receipt = entry.MinedHash is null ? null : await _client.GetTransactionReceiptAsync(entry.MinedHash, cancellationToken).ConfigureAwait(false);
        var revert = entry.RevertData is null ? null : _reverts.Decode(entry.RevertData);
        return new ExecutionResult(entry, receipt, revert);
    }

    private HashSet<BigInteger> InFlightNonces() =>
        [.. _journal.Entries.Where(e => !e.IsFinished && e.From == Account).SelectMany(e => e.Attempts.Select(a => a.Nonce))];

    private CallInput CallOf(TransactionIntent intent) => new()
    {
        From = Account.ToString(), To = intent.To?.ToString(), Data = intent.Data.ToHex(true), Value = new HexBigInteger(intent.Value),
    };

    private ValueTask RunCheckpointAsync(ExecutionCheckpoint checkpoint, JournalEntry entry) =>
        Checkpoint is null ? ValueTask.CompletedTask : Checkpoint(checkpoint, entry);
}
