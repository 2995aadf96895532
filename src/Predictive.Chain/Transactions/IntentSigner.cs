using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Transactions;

/// <summary>
/// Signing: turns an intent, a nonce, fees and a gas limit into Nethereum-signed bytes and journals them before anything
/// is sent. Remembers which bytes this instance signed and has not yet handed to a node (the only bytes known never to
/// have left the process).
/// </summary>
internal sealed class IntentSigner(EvmRpcClient client, PrivateKey key, ExecutionJournal journal)
{
    private readonly HashSet<string> _neverBroadcast = new(StringComparer.OrdinalIgnoreCase);
    private BigInteger? _chainId;

    /// <summary>Signs and journals a new attempt of <paramref name="entry"/>.</summary>
    public async Task<JournalEntry> SignAsync(JournalEntry entry, BigInteger nonce, Eip1559Fees fees, BigInteger gasLimit, CancellationToken cancellationToken)
    {
        _chainId ??= await client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        var signed = new Eip1559Transaction
        {
            ChainId = _chainId.Value, Nonce = nonce, MaxPriorityFeePerGas = fees.MaxPriorityFeePerGas, MaxFeePerGas = fees.MaxFeePerGas,
            GasLimit = gasLimit, To = entry.Intent.To, Value = entry.Intent.Value, Data = entry.Intent.Data,
        }.Sign(key);
        entry = journal.RecordSigned(entry.Intent.Id, new SignedAttempt(nonce, signed.HashHex, signed.Raw, fees, gasLimit));
        _neverBroadcast.Add(signed.HashHex);
        return entry;
    }

    /// <summary>Marks <paramref name="attempt"/> as handed to a node; true when this is the first time and this instance signed it.</summary>
    public bool TakeFirstBroadcast(SignedAttempt attempt) => _neverBroadcast.Remove(attempt.Hash);
}
