using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.JsonRpc.Client;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Predictive.Chain.Rpc;

/// <summary>
/// Wraps every request Nethereum's client sends (ours and those of Nethereum's contract handlers): opens the
/// <see cref="RpcCallScope"/> (method, retry rule) and turns Nethereum's exceptions into ours, which name the node,
/// the method and what failed. With <paramref name="nethereumNodeErrors"/>, a node's error object stays Nethereum's
/// <see cref="RpcResponseException"/> (its contract handlers decode reverts from it); transport failures are still ours.
/// </summary>
internal sealed class NodeErrorInterceptor(string endpointName, bool nethereumNodeErrors = false) : RequestInterceptor
{
    /// <summary>Methods that send a transaction: never retried, since a retry could not tell a lost request from a lost reply.</summary>
    public static bool IsIdempotent(string method) =>
        method is not ("eth_sendRawTransaction" or "eth_sendTransaction");

    public override async Task<object> InterceptSendRequestAsync<T>(Func<RpcRequest, string, Task<T>> interceptedSendRequestAsync, RpcRequest request, string route = null!)
    {
        var scope = RpcCallScope.Enter(request.Method, IsIdempotent(request.Method));
        try
        {
            return (await interceptedSendRequestAsync(request, route).ConfigureAwait(false))!;
        }
        catch (Exception e) when (Map(e, scope) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task InterceptSendRequestAsync(Func<RpcRequest, string, Task> interceptedSendRequestAsync, RpcRequest request, string route = null!)
    {
        var scope = RpcCallScope.Enter(request.Method, IsIdempotent(request.Method));
        try
        {
            await interceptedSendRequestAsync(request, route).ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e, scope) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task<object> InterceptSendRequestAsync<T>(
        Func<string, string, object[], Task<T>> interceptedSendRequestAsync, string method, string route = null!, params object[] paramList)
    {
        var scope = RpcCallScope.Enter(method, IsIdempotent(method));
        try
        {
            return (await interceptedSendRequestAsync(method, route, paramList).ConfigureAwait(false))!;
        }
        catch (Exception e) when (Map(e, scope) is { } mapped)
        {
            throw mapped;
        }
    }

    public override async Task InterceptSendRequestAsync(Func<string, string, object[], Task> interceptedSendRequestAsync, string method, string route = null!, params object[] paramList)
    {
        var scope = RpcCallScope.Enter(method, IsIdempotent(method));
        try
        {
            await interceptedSendRequestAsync(method, route, paramList).ConfigureAwait(false);
        }
        catch (Exception e) when (Map(e, scope) is { } mapped)
        {
            throw mapped;
        }
    }

    private Exception? Map(Exception e, RpcCallScope scope)
    {
        if (e is RpcException)
        {
            return null;
        }

        if (e is RpcResponseException response)
        {
            if (nethereumNodeErrors)
            {
                return null;
            }

            return new RpcErrorException(scope.Method, response.RpcError.Code, response.RpcError.Message ?? "(no message)", RevertData(response.RpcError.Data));
        }

        if (scope.CancellationToken.IsCancellationRequested)
        {
            // The caller cancelled: Nethereum reports that as its own timeout; it is a cancellation.
            return e is OperationCanceledException ? null : new OperationCanceledException($"{scope.Method} was cancelled.", e, scope.CancellationToken);
        }

        var cause = e is RpcClientUnknownException or RpcClientTimeoutException && e.InnerException is { } inner ? inner : e;
        var problem = cause switch
        {
            _ when ResilientRpcHandler.IsPipelineRefusal(cause) && cause is Polly.CircuitBreaker.BrokenCircuitException =>
                "circuit open after repeated failures; not calling the node for now",
            _ when ResilientRpcHandler.IsPipelineRefusal(cause) => "timed out",
            HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status} {status}",
            HttpRequestException h => $"connection failed ({h.HttpRequestError}): {h.Message}",
            OperationCanceledException or RpcClientTimeoutException => "timed out",
            JsonException or FormatException or InvalidCastException or ArgumentException => "the reply is not a usable JSON-RPC response: " + cause.Message,
            _ => null,
        };
        return problem is null ? null : new RpcTransportException(scope.Method, endpointName, Math.Max(1, scope.Attempts), problem, e);
    }

    /// <summary>Revert bytes from a node error's "data": nodes put them directly there or one level down in "data.data".</summary>
    private static byte[]? RevertData(object? data)
    {
        var token = data as JToken;
        if (token is JObject nested && nested.TryGetValue("data", out var inner))
        {
            token = inner;
        }

        var text = token is JValue { Type: JTokenType.String } value ? (string?)value : data as string;
        if (text is null || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return text.HexToByteArray();
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
