namespace Predictive.Chain.Rpc;

/// <summary>
/// The call in flight on this async flow: which method, whether it may be retried, the caller's cancellation and how many
/// HTTP attempts were made. Nethereum's client takes no cancellation token, so the scope carries it down to the HTTP handler.
/// </summary>
internal sealed class RpcCallScope
{
    private static readonly AsyncLocal<RpcCallScope?> CurrentScope = new();
    private int _attempts;

    private RpcCallScope(string method, bool idempotent, CancellationToken cancellationToken)
    {
        Method = method;
        Idempotent = idempotent;
        CancellationToken = cancellationToken;
    }

    /// <summary>The scope of the current async flow, if any.</summary>
    public static RpcCallScope? Current => CurrentScope.Value;

    /// <summary>The JSON-RPC method.</summary>
    public string Method { get; }

    /// <summary>Whether a transient failure may be retried (never for eth_sendRawTransaction).</summary>
    public bool Idempotent { get; }

    /// <summary>The caller's cancellation.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>HTTP attempts made so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The caller's token, kept for the call made next on this flow.</summary>
    public static void SetCancellation(CancellationToken cancellationToken) =>
        CurrentScope.Value = new RpcCallScope(string.Empty, true, cancellationToken);

    /// <summary>Starts the scope of one call (inherits the caller's token); it ends with the async method that set it.</summary>
    public static RpcCallScope Enter(string method, bool idempotent)
    {
        var scope = new RpcCallScope(method, idempotent, CurrentScope.Value?.CancellationToken ?? CancellationToken.None);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Counts one HTTP attempt.</summary>
    public void CountAttempt() => Interlocked.Increment(ref _attempts);
}
