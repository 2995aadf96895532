using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.Blocks;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.RPC.Eth.Filters;
using Nethereum.RPC.Eth.Transactions;
using Nethereum.Web3;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Rpc;

/// <summary>
/// Our façade over Nethereum's <see cref="RpcClient"/> and its <c>Nethereum.RPC.Eth</c> requests. Under it sits one Polly
/// pipeline: reads are retried on transient failures, eth_sendRawTransaction never (a retry could not tell a lost request
/// from a lost reply). Node errors throw <see cref="RpcErrorException"/>, unreachable nodes <see cref="RpcTransportException"/>;
/// both name the node, the method and what failed. <see cref="Web3"/> (read-only) uses the same client, so Nethereum's
/// typed contract queries get the same retries and errors.
/// </summary>
public sealed class EvmRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates a client with its own HTTP connection pool.</summary>
    public EvmRpcClient(RpcClientOptions options, TimeProvider? timeProvider = null)
        : this(null, options, timeProvider)
    {
    }

    /// <summary>Creates a client whose HTTP attempts go through <paramref name="innerHandler"/> (owned by the client).</summary>
    public EvmRpcClient(HttpMessageHandler? innerHandler, RpcClientOptions options, TimeProvider? timeProvider = null)
        : this(innerHandler, options, timeProvider, nethereumNodeErrors: false)
    {
    }

    /// <summary>
    /// Creates a client whose node errors stay Nethereum's <c>RpcResponseException</c> (transport failures still become
    /// <see cref="RpcTransportException"/>), so Nethereum's contract handlers decode custom-error reverts into
    /// <c>SmartContractCustomErrorRevertException</c>: the governance client's Web3 (<c>Governance.GovernanceWeb3</c>).
    /// </summary>
    internal EvmRpcClient(HttpMessageHandler? innerHandler, RpcClientOptions options, TimeProvider? timeProvider, bool nethereumNodeErrors)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint ?? throw new ArgumentException("RpcClientOptions.Endpoint is not set.", nameof(options));
        Endpoint = endpoint.GetLeftPart(UriPartial.Authority);
        var handler = new ResilientRpcHandler(
            innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, options, timeProvider ?? TimeProvider.System);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsHttp = true;
        // Our pipeline's total timeout governs; Nethereum's (process-wide) one is only ever raised so it cannot cut it short.
        var needed = options.TotalTimeout + TimeSpan.FromSeconds(5);
        if (ClientBase.ConnectionTimeout < needed)
        {
            ClientBase.ConnectionTimeout = needed;
        }

        Client = new RpcClient(endpoint, _http, null, null, null) { OverridingRequestInterceptor = new NodeErrorInterceptor(Endpoint, nethereumNodeErrors) };
        Web3 = new Web3(Client);
    }

    /// <summary>The node's scheme, host and port (path and query are left out: they may hold an API key).</summary>
    public string Endpoint { get; }

    /// <summary>The Nethereum client (resilient, with our errors), for requests this façade has no method for.</summary>
    public IClient Client { get; }

    /// <summary>A read-only Nethereum Web3 over <see cref="Client"/>: typed contract queries, event logs, blocks.</summary>
    public IWeb3 Web3 { get; }

    /// <summary>Any method by name (e.g. anvil's evm_snapshot, evm_revert, anvil_mine, evm_increaseTime, anvil_setBalance); retried on transient failures unless it sends a transaction.</summary>
    public async Task<T> RequestAsync<T>(string method, object?[] parameters, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(parameters);
        RpcCallScope.SetCancellation(cancellationToken);
        return await Client.SendRequestAsync<T>(method, null, [.. parameters]).ConfigureAwait(false);
    }

    /// <summary>Any method by name whose result is not needed.</summary>
    public Task RequestAsync(string method, object?[] parameters, CancellationToken cancellationToken = default) =>
        RequestAsync<Newtonsoft.Json.Linq.JToken?>(method, parameters, cancellationToken);

    /// <summary>eth_chainId.</summary>
    public async Task<BigInteger> GetChainIdAsync(CancellationToken cancellationToken = default)
    {
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthChainId(Client).SendRequestAsync().ConfigureAwait(false)).Value;
    }

    /// <summary>eth_blockNumber.</summary>
    public async Task<BigInteger> GetBlockNumberAsync(CancellationToken cancellationToken = default)
    {
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthBlockNumber(Client).SendRequestAsync().ConfigureAwait(false)).Value;
    }

    /// <summary>eth_getBalance, in wei (latest block unless <paramref name="block"/> says otherwise).</summary>
    public async Task<BigInteger> GetBalanceAsync(EthAddress address, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthGetBalance(Client).SendRequestAsync(address.ToString(), block ?? BlockParameter.CreateLatest()).ConfigureAwait(false)).Value;
    }

    /// <summary>eth_getTransactionCount: the next nonce (pending by default, so queued transactions count).</summary>
    public async Task<BigInteger> GetTransactionCountAsync(EthAddress address, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthGetTransactionCount(Client).SendRequestAsync(address.ToString(), block ?? BlockParameter.CreatePending()).ConfigureAwait(false)).Value;
    }

    /// <summary>eth_call: the returned bytes. A revert throws <see cref="RpcErrorException"/> carrying the revert data.</summary>
    public async Task<byte[]> CallAsync(CallInput call, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthCall(Client).SendRequestAsync(call, block ?? BlockParameter.CreateLatest()).ConfigureAwait(false)).HexToByteArray();
    }

    /// <summary>A typed view call returning one value (e.g. balanceOf → BigInteger).</summary>
    public async Task<TReturn> QueryAsync<TFunction, TReturn>(EthAddress contract, TFunction message, BlockParameter? block = null, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(contract);
        RpcCallScope.SetCancellation(cancellationToken);
        return await Web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TReturn>(contract.ToString(), message, block ?? BlockParameter.CreateLatest()).ConfigureAwait(false);
    }

    /// <summary>A typed view call returning a [FunctionOutput] DTO (several values).</summary>
    public async Task<TOutput> QueryOutputAsync<TFunction, TOutput>(EthAddress contract, TFunction message, BlockParameter? block = null, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
        where TOutput : Nethereum.ABI.FunctionEncoding.Attributes.IFunctionOutputDTO, new()
    {
        ArgumentNullException.ThrowIfNull(contract);
        RpcCallScope.SetCancellation(cancellationToken);
        return await Web3.Eth.GetContractQueryHandler<TFunction>().QueryDeserializingToObjectAsync<TOutput>(message, contract.ToString(), block ?? BlockParameter.CreateLatest()).ConfigureAwait(false);
    }

    /// <summary>eth_estimateGas, in gas units.</summary>
    public async Task<BigInteger> EstimateGasAsync(CallInput call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthEstimateGas(Client).SendRequestAsync(call).ConfigureAwait(false)).Value;
    }

    /// <summary>eth_gasPrice, in wei per gas unit.</summary>
    public async Task<BigInteger> GetGasPriceAsync(CancellationToken cancellationToken = default)
    {
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthGasPrice(Client).SendRequestAsync().ConfigureAwait(false)).Value;
    }

    /// <summary>eth_maxPriorityFeePerGas, in wei per gas unit.</summary>
    public async Task<BigInteger> GetMaxPriorityFeePerGasAsync(CancellationToken cancellationToken = default)
    {
        RpcCallScope.SetCancellation(cancellationToken);
        return (await new EthMaxPriorityFeePerGas(Client).SendRequestAsync().ConfigureAwait(false)).Value;
    }

    /// <summary>eth_feeHistory over <paramref name="blockCount"/> blocks ending at <paramref name="newestBlock"/>, with tips at the given percentiles.</summary>
    public async Task<FeeHistoryResult> GetFeeHistoryAsync(int blockCount, BlockParameter newestBlock, IReadOnlyList<double> rewardPercentiles, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockCount, 1);
        ArgumentNullException.ThrowIfNull(newestBlock);
        ArgumentNullException.ThrowIfNull(rewardPercentiles);
        RpcCallScope.SetCancellation(cancellationToken);
        return await new EthFeeHistory(Client).SendRequestAsync(new HexBigInteger(blockCount), newestBlock, [.. rewardPercentiles.Select(p => (decimal)p)]).ConfigureAwait(false);
    }

    /// <summary>eth_sendRawTransaction: the transaction hash. Never retried.</summary>
    public async Task<string> SendRawTransactionAsync(byte[] rawTransaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rawTransaction);
        RpcCallScope.SetCancellation(cancellationToken);
        var hash = await new EthSendRawTransaction(Client).SendRequestAsync(rawTransaction.ToHex(true)).ConfigureAwait(false);
        return hash ?? throw new RpcTransportException("eth_sendRawTransaction", Endpoint, 1, "the node returned no transaction hash");
    }

    /// <summary>eth_getTransactionReceipt; null while the transaction is pending or unknown.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(string transactionHash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transactionHash);
        RpcCallScope.SetCancellation(cancellationToken);
        return await new EthGetTransactionReceipt(Client).SendRequestAsync(transactionHash).ConfigureAwait(false);
    }

    /// <summary>eth_getLogs.</summary>
    public async Task<IReadOnlyList<FilterLog>> GetLogsAsync(NewFilterInput filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RpcCallScope.SetCancellation(cancellationToken);
        return await new EthGetLogs(Client).SendRequestAsync(filter).ConfigureAwait(false) ?? [];
    }

    /// <summary>eth_getBlockByNumber (transaction hashes only; latest unless <paramref name="block"/> says otherwise); null when the block does not exist.</summary>
    public async Task<BlockWithTransactionHashes?> GetBlockByNumberAsync(BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        RpcCallScope.SetCancellation(cancellationToken);
        return await new EthGetBlockWithTransactionsHashesByNumber(Client).SendRequestAsync(block ?? BlockParameter.CreateLatest()).ConfigureAwait(false);
    }

    /// <summary>The latest block's timestamp (chain time, not the local clock).</summary>
    /// <exception cref="RpcTransportException">The node returned no latest block.</exception>
    public async Task<DateTimeOffset> GetLatestTimestampAsync(CancellationToken cancellationToken = default)
    {
        var block = await GetBlockByNumberAsync(null, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcTransportException("eth_getBlockByNumber", Endpoint, 1, "the node returned no latest block");
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }

    /// <summary>A deadline <paramref name="ahead"/> after the latest block's timestamp, in unix seconds (chain time).</summary>
    public async Task<BigInteger> DeadlineAsync(TimeSpan ahead, CancellationToken cancellationToken = default) =>
        (await GetLatestTimestampAsync(cancellationToken).ConfigureAwait(false)).ToUnixTimeSeconds() + (long)ahead.TotalSeconds;

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
