using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Rpc;

/// <summary>
/// Posts JSON-RPC requests through one Polly pipeline: total timeout → retry (idempotent calls only) → circuit breaker → attempt timeout.
/// Transient means what Microsoft.Extensions.Http.Resilience means: connection failures, timeouts, 408, 429 and 5xx.
/// </summary>
internal sealed class JsonRpcTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<bool> IdempotentKey = new("Predictive.Chain.Rpc.Idempotent");
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private long _nextId;

    public JsonRpcTransport(HttpClient http, bool ownsHttp, RpcClientOptions options, TimeProvider timeProvider)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _endpoint = options.Endpoint ?? throw new ArgumentException("RpcClientOptions.Endpoint is not set.", nameof(options));
        EndpointName = _endpoint.GetLeftPart(UriPartial.Authority);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(
                    options.MaxRetries > 0 &&
                    args.Context.Properties.GetValue(IdempotentKey, false) &&
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>The endpoint's scheme, host and port, safe to show in messages.</summary>
    public string EndpointName { get; }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Sends one call and returns its result, or throws <see cref="RpcErrorException"/> / <see cref="RpcTransportException"/>.</summary>
    public async Task<JsonElement> CallAsync(string method, object?[] parameters, bool idempotent, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var body = Request(id, method, parameters).ToJsonString();
        using var document = await PostAsync(method, body, idempotent, cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new RpcTransportException(method, EndpointName, 1, "the reply is not a JSON-RPC response object");
        }

        var response = ParseResponse(method, document.RootElement);
        return response.GetResult();
    }

    /// <summary>Sends a batch; each answer is matched to its request by id. Retried only when every method is idempotent.</summary>
    public async Task<IReadOnlyList<RpcResponse>> BatchAsync(IReadOnlyList<RpcRequest> requests, Func<string, bool> isIdempotent, CancellationToken cancellationToken)
    {
        if (requests.Count == 0)
        {
            return [];
        }

        var firstId = Interlocked.Add(ref _nextId, requests.Count) - requests.Count + 1;
        var array = new JsonArray();
        for (var i = 0; i < requests.Count; i++)
        {
            array.Add(Request(firstId + i, requests[i].Method, requests[i].Parameters));
        }

        using var document = await PostAsync("batch", array.ToJsonString(), requests.All(r => isIdempotent(r.Method)), cancellationToken).ConfigureAwait(false);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            // A node that rejects the whole batch answers with one error object.
            var single = document.RootElement.ValueKind == JsonValueKind.Object ? ParseResponse("batch", document.RootElement) : null;
            throw (RpcException?)single?.Error ?? new RpcTransportException("batch", EndpointName, 1, "the reply to a batch is not an array");
        }

        var answers = new RpcResponse?[requests.Count];
        foreach (var element in document.RootElement.EnumerateArray())
        {
            if (element.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var answerId) &&
                answerId >= firstId && answerId < firstId + requests.Count)
            {
                var index = (int)(answerId - firstId);
                answers[index] = ParseResponse(requests[index].Method, element);
            }
        }

        return [.. answers.Select((a, i) => a ?? throw new RpcTransportException(requests[i].Method, EndpointName, 1, "the batch reply has no answer for this request"))];
    }

    private async Task<JsonDocument> PostAsync(string method, string body, bool idempotent, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(IdempotentKey, idempotent);
        var attempts = 0;
        HttpResponseMessage? response = null;
        try
        {
            response = await _pipeline.ExecuteAsync(
                async ctx =>
                {
                    Interlocked.Increment(ref attempts);
                    using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
                    {
                        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
                    };
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ctx.CancellationToken).ConfigureAwait(false);
                },
                context).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Some providers send JSON-RPC errors with a 4xx/5xx status; the error object is more useful than the status.
                return JsonDocument.Parse(text);
            }
            catch (JsonException) when (!response.IsSuccessStatusCode)
            {
                throw new RpcTransportException(method, EndpointName, attempts, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            catch (JsonException e)
            {
                throw new RpcTransportException(method, EndpointName, attempts, "the reply is not JSON", e);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var problem = e switch
            {
                TimeoutRejectedException => "timed out",
                BrokenCircuitException => "circuit open after repeated failures; not calling the node for now",
                HttpRequestException h => $"connection failed ({h.HttpRequestError}): {h.Message}",
                _ => "timed out",
            };
            throw new RpcTransportException(method, EndpointName, attempts, problem, e);
        }
        finally
        {
            response?.Dispose();
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static JsonObject Request(long id, string method, object?[] parameters)
    {
        var array = new JsonArray();
        foreach (var parameter in parameters)
        {
            array.Add(parameter switch
            {
                null => null,
                JsonNode node => node,
                string text => JsonValue.Create(text),
                bool flag => JsonValue.Create(flag),
                int number => JsonValue.Create(number),
                long number => JsonValue.Create(number),
                double number => JsonValue.Create(number),
                _ => throw new ArgumentException($"Parameter of type {parameter.GetType().Name} is not supported in {method}; pass a JsonNode.", nameof(parameters)),
            });
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = array };
    }

    private static RpcResponse ParseResponse(string method, JsonElement element)
    {
        if (element.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
        {
            var code = error.TryGetProperty("code", out var c) && c.TryGetInt64(out var value) ? value : 0;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "(no message)";
            return new RpcResponse(method, null, new RpcErrorException(method, code, message, RevertData(error)));
        }

        return new RpcResponse(method, element.TryGetProperty("result", out var result) ? result.Clone() : null, null);
    }

    private static byte[]? RevertData(JsonElement error)
    {
        if (!error.TryGetProperty("data", out var data))
        {
            return null;
        }

        // Nodes put revert bytes either directly in "data" or one level down in "data.data".
        if (data.ValueKind == JsonValueKind.Object && data.TryGetProperty("data", out var nested))
        {
            data = nested;
        }

        if (data.ValueKind != JsonValueKind.String || data.GetString() is not { } text || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            return Hex.Decode(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
