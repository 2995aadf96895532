using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Predictive.Chain.Rpc;

/// <summary>
/// The HTTP handler under Nethereum's <c>RpcClient</c>: one Polly pipeline, total timeout → retry (idempotent calls only) →
/// circuit breaker → attempt timeout. Transient means what Microsoft.Extensions.Http.Resilience means: connection failures,
/// timeouts, 408, 429 and 5xx. Which call is in flight comes from <see cref="RpcCallScope"/>.
/// </summary>
internal sealed class ResilientRpcHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<bool> IdempotentKey = new("Predictive.Chain.Rpc.Idempotent");
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ResilientRpcHandler(HttpMessageHandler inner, RpcClientOptions options, TimeProvider timeProvider)
        : base(inner)
    {
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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = RpcCallScope.Current;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope?.CancellationToken ?? CancellationToken.None);
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        var mediaType = request.Content?.Headers.ContentType;
        var context = ResilienceContextPool.Shared.Get(linked.Token);
        context.Properties.Set(IdempotentKey, scope?.Idempotent ?? false);
        try
        {
            return await _pipeline.ExecuteAsync(
                async ctx =>
                {
                    scope?.CountAttempt();

                    // Each attempt needs its own request message: a sent one cannot be sent again.
                    using var attempt = new HttpRequestMessage(request.Method, request.RequestUri);
                    if (body is not null)
                    {
                        attempt.Content = new ByteArrayContent(body);
                        attempt.Content.Headers.ContentType = mediaType;
                    }

                    foreach (var header in request.Headers)
                    {
                        attempt.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    }

                    var response = await base.SendAsync(attempt, ctx.CancellationToken).ConfigureAwait(false);
                    await response.Content.LoadIntoBufferAsync(ctx.CancellationToken).ConfigureAwait(false);
                    return response;
                },
                context).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether <paramref name="e"/> is one of the pipeline's own refusals (timeout, open circuit).</summary>
    public static bool IsPipelineRefusal(Exception e) => e is TimeoutRejectedException or BrokenCircuitException;
}
