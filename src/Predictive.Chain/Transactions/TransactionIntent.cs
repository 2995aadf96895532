using System.Numerics;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Transactions;

/// <summary>
/// What should happen on chain, before any nonce or fee is chosen. The id makes execution idempotent: the manager
/// never sends two different transactions for one id.
/// </summary>
public sealed record TransactionIntent
{
    /// <summary>Creates an intent.</summary>
    /// <param name="id">A caller-chosen unique id (e.g. "rebalance:2025-06-01:swap-3").</param>
    /// <param name="to">The called contract or recipient; null deploys <paramref name="data"/> as init code.</param>
    /// <param name="data">Call data or init code.</param>
    /// <param name="value">Wei sent with the transaction.</param>
    public TransactionIntent(string id, EthAddress? to, byte[] data, BigInteger value = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(data);
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Intent '{id}' sends a negative value.");
        }

        if (to is null && data.Length == 0)
        {
            throw new ArgumentException($"Intent '{id}' deploys a contract but has no init code.", nameof(data));
        }

        Id = id;
        To = to;
        Data = data;
        Value = value;
    }

    /// <summary>The idempotency key.</summary>
    public string Id { get; }

    /// <summary>The recipient, or null for a deployment.</summary>
    public EthAddress? To { get; }

    /// <summary>Call data or init code.</summary>
    public byte[] Data { get; }

    /// <summary>Wei sent.</summary>
    public BigInteger Value { get; }

    /// <summary>
    /// Gas the node's estimate cannot see, added to the gas limit after the safety margin: work the call does only when
    /// it is mined in a later block than the one estimated against (e.g. an AMM pair's first trade in a block writes
    /// its price oracle). Zero by default.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The allowance is negative.</exception>
    public BigInteger GasAllowance
    {
        get;
        init => field = value.Sign >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(GasAllowance), value, $"Intent '{Id}' has a negative gas allowance.");
    }

    /// <summary>Whether two intents ask for the same transaction (id, recipient, data and value).</summary>
    public bool SameAs(TransactionIntent other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Id == other.Id && To == other.To && Value == other.Value && Data.AsSpan().SequenceEqual(other.Data);
    }
}
