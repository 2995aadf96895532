using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Rpc;

/// <summary>
/// A typed Ethereum JSON-RPC client. Reads are retried on transient failures; eth_sendRawTransaction is never retried
/// (a retry could not tell a lost request from a lost reply). Node errors throw <see cref="RpcErrorException"/>,
/// unreachable nodes <see cref="RpcTransportException"/>.
/// </summary>
public sealed class EvmRpcClient : IDisposable
{
    private static readonly HashSet<string> NonIdempotent = new(StringComparer.Ordinal) { "eth_sendRawTransaction", "eth_sendTransaction" };
    private readonly JsonRpcTransport _transport;

    /// <summary>Creates a client with its own HTTP connection pool.</summary>
    public EvmRpcClient(RpcClientOptions options, TimeProvider? timeProvider = null)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), ownsHttpClient: true, options, timeProvider)
    {
    }

    /// <summary>Creates a client over an existing <see cref="HttpClient"/> (e.g. from IHttpClientFactory). Its Timeout should exceed <see cref="RpcClientOptions.TotalTimeout"/>.</summary>
    public EvmRpcClient(HttpClient httpClient, bool ownsHttpClient, RpcClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _transport = new JsonRpcTransport(httpClient, ownsHttpClient, options, timeProvider ?? TimeProvider.System);
    }

    /// <summary>The node's scheme, host and port.</summary>
    public string Endpoint => _transport.EndpointName;

    /// <summary>Calls any method; retried on transient failures unless it sends a transaction.</summary>
    public Task<JsonElement> CallRawAsync(string method, object?[] parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(parameters);
        return _transport.CallAsync(method, parameters, !NonIdempotent.Contains(method), cancellationToken);
    }

    /// <summary>Sends several calls in one HTTP request; each answer carries its own result or error.</summary>
    public Task<IReadOnlyList<RpcResponse>> SendBatchAsync(IReadOnlyList<RpcRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        return _transport.BatchAsync(requests, m => !NonIdempotent.Contains(m), cancellationToken);
    }

    /// <summary>eth_chainId.</summary>
    public async Task<BigInteger> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        Quantity(await CallRawAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_blockNumber.</summary>
    public async Task<BigInteger> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        Quantity(await CallRawAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_getBalance, in wei.</summary>
    public async Task<BigInteger> GetBalanceAsync(EthAddress address, string block = BlockTag.Latest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Quantity(await CallRawAsync("eth_getBalance", [address.ToString(), block], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>eth_getTransactionCount: the next nonce (use <see cref="BlockTag.Pending"/> to count queued transactions).</summary>
    public async Task<BigInteger> GetTransactionCountAsync(EthAddress address, string block = BlockTag.Pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        return Quantity(await CallRawAsync("eth_getTransactionCount", [address.ToString(), block], cancellationToken).ConfigureAwait(false));
    }

    /// <summary>eth_call: the returned bytes. A revert throws <see cref="RpcErrorException"/> carrying the revert data.</summary>
    public async Task<byte[]> CallAsync(CallRequest call, string block = BlockTag.Latest, CancellationToken cancellationToken = default) =>
        Bytes(await CallRawAsync("eth_call", [CallObject(call), block], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_estimateGas, in gas units.</summary>
    public async Task<BigInteger> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default) =>
        Quantity(await CallRawAsync("eth_estimateGas", [CallObject(call)], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_gasPrice, in wei per gas unit.</summary>
    public async Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        Quantity(await CallRawAsync("eth_gasPrice", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_maxPriorityFeePerGas, in wei per gas unit.</summary>
    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default) =>
        Quantity(await CallRawAsync("eth_maxPriorityFeePerGas", [], cancellationToken).ConfigureAwait(false));

    /// <summary>eth_feeHistory over <paramref name="blockCount"/> blocks ending at <paramref name="newestBlock"/>, with tips at the given percentiles.</summary>
    public async Task<FeeHistory> GetFeeHistoryAsync(int blockCount, string newestBlock, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCount, 1);
        ArgumentNullException.ThrowIfNull(rewardPercentiles);
        var percentiles = new JsonArray([.. rewardPercentiles.Select(p => (JsonNode?)JsonValue.Create(p))]);
        var result = await CallRawAsync("eth_feeHistory", [Hex.EncodeQuantity(blockCount), newestBlock, percentiles], cancellationToken).ConfigureAwait(false);
        return new FeeHistory(
            Quantity(result.GetProperty("oldestBlock")),
            [.. result.GetProperty("baseFeePerGas").EnumerateArray().Select(Quantity)],
            [.. result.GetProperty("gasUsedRatio").EnumerateArray().Select(e => e.GetDouble())],
            result.TryGetProperty("reward", out var reward) && reward.ValueKind == JsonValueKind.Array
                ? [.. reward.EnumerateArray().Select(row => (IReadOnlyList<BigInteger>)[.. row.EnumerateArray().Select(Quantity)])]
                : []);
    }

    /// <summary>eth_sendRawTransaction: the transaction hash. Never retried.</summary>
    public async Task<string> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rawTransaction);
        var result = await CallRawAsync("eth_sendRawTransaction", [Hex.Encode(rawTransaction)], cancellationToken).ConfigureAwait(false);
        return result.GetString() ?? throw new RpcTransportException("eth_sendRawTransaction", Endpoint, 1, "the node returned no transaction hash");
    }

    /// <summary>eth_getTransactionReceipt; null while the transaction is pending or unknown.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionHash);
        var r = await CallRawAsync("eth_getTransactionReceipt", [transactionHash], cancellationToken).ConfigureAwait(false);
        if (r.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new TransactionReceipt(
            r.GetProperty("transactionHash").GetString()!,
            Quantity(r.GetProperty("blockNumber")),
            Address(r.GetProperty("from"))!,
            OptionalAddress(r, "to"),
            OptionalAddress(r, "contractAddress"),
            Quantity(r.GetProperty("status")) == 1,
            Quantity(r.GetProperty("gasUsed")),
            r.TryGetProperty("effectiveGasPrice", out var price) ? Quantity(price) : null,
            [.. r.GetProperty("logs").EnumerateArray().Select(Log)]);
    }

    /// <summary>eth_getLogs.</summary>
    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var topics = new JsonArray([.. filter.Topics.Select(t => t is null ? null : (JsonNode)new JsonArray([.. t.Select(b => (JsonNode?)Hex.Encode(b))]))]);
        var filterObject = new JsonObject
        {
            ["fromBlock"] = filter.FromBlock,
            ["toBlock"] = filter.ToBlock,
            ["topics"] = topics,
        };
        if (filter.Addresses.Count > 0)
        {
            filterObject["address"] = new JsonArray([.. filter.Addresses.Select(a => (JsonNode?)a.ToString())]);
        }

        var result = await CallRawAsync("eth_getLogs", [filterObject], cancellationToken).ConfigureAwait(false);
        return [.. result.EnumerateArray().Select(Log)];
    }

    /// <summary>eth_getBlockByNumber (transaction hashes only); null when the block does not exist.</summary>
    public async Task<BlockHeader?> GetBlockByNumberAsync(string block = BlockTag.Latest, CancellationToken cancellationToken = default)
    {
        var b = await CallRawAsync("eth_getBlockByNumber", [block, false], cancellationToken).ConfigureAwait(false);
        if (b.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return new BlockHeader(
            Quantity(b.GetProperty("number")),
            b.GetProperty("hash").GetString()!,
            DateTimeOffset.FromUnixTimeSeconds((long)Quantity(b.GetProperty("timestamp"))),
            Quantity(b.GetProperty("gasLimit")),
            Quantity(b.GetProperty("gasUsed")),
            b.TryGetProperty("baseFeePerGas", out var baseFee) ? Quantity(baseFee) : null,
            [.. b.GetProperty("transactions").EnumerateArray().Select(t => t.GetString()!)]);
    }

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    private static JsonObject CallObject(CallRequest call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var o = new JsonObject { ["data"] = Hex.Encode(call.Data) };
        if (call.To is not null)
        {
            o["to"] = call.To.ToString();
        }

        if (call.From is not null)
        {
            o["from"] = call.From.ToString();
        }

        if (call.Value is { } value)
        {
            o["value"] = Hex.EncodeQuantity(value);
        }

        if (call.Gas is { } gas)
        {
            o["gas"] = Hex.EncodeQuantity(gas);
        }

        return o;
    }

    private static LogEntry Log(JsonElement l) => new(
        Address(l.GetProperty("address"))!,
        [.. l.GetProperty("topics").EnumerateArray().Select(Bytes)],
        Bytes(l.GetProperty("data")),
        l.TryGetProperty("blockNumber", out var n) && n.ValueKind == JsonValueKind.String ? Quantity(n) : null,
        l.TryGetProperty("transactionHash", out var h) ? h.GetString() : null,
        l.TryGetProperty("logIndex", out var i) && i.ValueKind == JsonValueKind.String ? Quantity(i) : null);

    private static EthAddress? OptionalAddress(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? Address(value) : null;

    private static EthAddress? Address(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? EthAddress.Parse(element.GetString()!.ToLower(CultureInfo.InvariantCulture)) : null;

    private static BigInteger Quantity(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? Hex.DecodeQuantity(element.GetString()!)
            : throw new FormatException($"Expected a hex quantity, got JSON {element.ValueKind}.");

    private static byte[] Bytes(JsonElement element) =>
        element.ValueKind == JsonValueKind.String
            ? Hex.Decode(element.GetString()!)
            : throw new FormatException($"Expected hex data, got JSON {element.ValueKind}.");
}
