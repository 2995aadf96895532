using Predictive.Chain.Contracts;

namespace Predictive.Chain.Rpc;

/// <summary>A JSON-RPC call failed. Subtypes say whether the node answered with an error or could not be reached.</summary>
public abstract class RpcException : Exception
{
    private protected RpcException(string method, string message, Exception? inner)
        : base(message, inner) => Method = method;

    /// <summary>The JSON-RPC method that failed (e.g. eth_call), or "batch".</summary>
    public string Method { get; }
}

/// <summary>The node answered the call with a JSON-RPC error object.</summary>
public sealed class RpcErrorException : RpcException
{
    /// <summary>Creates the exception from the node's error object.</summary>
    public RpcErrorException(string method, long code, string nodeMessage, byte[]? revertData)
        : base(method, Format(method, code, nodeMessage, revertData), null)
    {
        Code = code;
        NodeMessage = nodeMessage;
        RevertData = revertData;
        Revert = revertData is null ? null : RevertReason.Decode(revertData);
    }

    /// <summary>The JSON-RPC error code (e.g. -32000, or 3 for an execution revert).</summary>
    public long Code { get; }

    /// <summary>The node's message, verbatim.</summary>
    public string NodeMessage { get; }

    /// <summary>The revert data the node attached, when there was any.</summary>
    public byte[]? RevertData { get; }

    /// <summary>The revert data decoded as Error(string) or Panic(uint256); decode custom errors with <see cref="RevertReason.Decode"/>.</summary>
    public RevertReason? Revert { get; }

    private static string Format(string method, long code, string nodeMessage, byte[]? revertData)
    {
        var revert = revertData is null ? string.Empty : $" (revert: {RevertReason.Decode(revertData).Message})";
        return $"{method} failed with node error {code}: {nodeMessage}{revert}";
    }
}

/// <summary>The node could not be reached or gave no usable answer (connection, timeout, HTTP status, open circuit, malformed reply).</summary>
public sealed class RpcTransportException : RpcException
{
    /// <summary>Creates the exception.</summary>
    public RpcTransportException(string method, string endpoint, int attempts, string problem, Exception? inner = null)
        : base(method, $"{method} to {endpoint} failed after {attempts} attempt(s): {problem}", inner)
    {
        Endpoint = endpoint;
        Attempts = attempts;
        Problem = problem;
    }

    /// <summary>The node's scheme, host and port (path and query are left out: they may hold an API key).</summary>
    public string Endpoint { get; }

    /// <summary>How many HTTP attempts were made.</summary>
    public int Attempts { get; }

    /// <summary>The problem alone.</summary>
    public string Problem { get; }
}
