using System.Numerics;
using System.Text.Json;
using Predictive.Chain.Crypto;
using Predictive.Chain.Primitives;

namespace Predictive.Chain.Rpc;

/// <summary>Block parameters for JSON-RPC calls.</summary>
public static class BlockTag
{
    /// <summary>The latest mined block.</summary>
    public const string Latest = "latest";

    /// <summary>The pending state (includes the node's queued transactions).</summary>
    public const string Pending = "pending";

    /// <summary>The latest safe block.</summary>
    public const string Safe = "safe";

    /// <summary>The latest finalized block.</summary>
    public const string Finalized = "finalized";

    /// <summary>The earliest block.</summary>
    public const string Earliest = "earliest";

    /// <summary>A block by number.</summary>
    public static string Number(BigInteger number) => Hex.EncodeQuantity(number);
}

/// <summary>The arguments of eth_call and eth_estimateGas.</summary>
/// <param name="To">The contract called (null to simulate a deployment).</param>
/// <param name="Data">The call data.</param>
public sealed record CallRequest(EthAddress? To, byte[] Data)
{
    /// <summary>The caller.</summary>
    public EthAddress? From { get; init; }

    /// <summary>Wei sent with the call.</summary>
    public BigInteger? Value { get; init; }

    /// <summary>Gas limit for the call.</summary>
    public BigInteger? Gas { get; init; }
}

/// <summary>One JSON-RPC request in a batch.</summary>
/// <param name="Method">The method.</param>
/// <param name="Parameters">The parameters (strings, numbers, bools, or JSON nodes).</param>
public sealed record RpcRequest(string Method, params object?[] Parameters);

/// <summary>One answer in a batch: a result or an error.</summary>
/// <param name="Method">The request's method.</param>
/// <param name="Result">The result, when the call succeeded.</param>
/// <param name="Error">The error, when it failed.</param>
public sealed record RpcResponse(string Method, JsonElement? Result, RpcErrorException? Error)
{
    /// <summary>The result, or throws the error.</summary>
    public JsonElement GetResult() => Error is not null ? throw Error : Result ?? default;
}

/// <summary>A log entry from a receipt or eth_getLogs.</summary>
public sealed record LogEntry(EthAddress Address, IReadOnlyList<byte[]> Topics, byte[] Data, BigInteger? BlockNumber, string? TransactionHash, BigInteger? LogIndex);

/// <summary>A transaction receipt.</summary>
public sealed record TransactionReceipt(
    string TransactionHash,
    BigInteger BlockNumber,
    EthAddress From,
    EthAddress? To,
    EthAddress? ContractAddress,
    bool Succeeded,
    BigInteger GasUsed,
    BigInteger? EffectiveGasPrice,
    IReadOnlyList<LogEntry> Logs);

/// <summary>The header fields of a block used by fee estimation and scheduling.</summary>
public sealed record BlockHeader(BigInteger Number, string Hash, DateTimeOffset Timestamp, BigInteger GasLimit, BigInteger GasUsed, BigInteger? BaseFeePerGas, IReadOnlyList<string> TransactionHashes);

/// <summary>The answer of eth_feeHistory.</summary>
public sealed record FeeHistory(BigInteger OldestBlock, IReadOnlyList<BigInteger> BaseFeePerGas, IReadOnlyList<double> GasUsedRatio, IReadOnlyList<IReadOnlyList<BigInteger>> Reward);

/// <summary>The filter of eth_getLogs.</summary>
public sealed record LogFilter
{
    /// <summary>First block (inclusive).</summary>
    public string FromBlock { get; init; } = BlockTag.Latest;

    /// <summary>Last block (inclusive).</summary>
    public string ToBlock { get; init; } = BlockTag.Latest;

    /// <summary>Emitting contracts (any, when empty).</summary>
    public IReadOnlyList<EthAddress> Addresses { get; init; } = [];

    /// <summary>Topic filters by position; null matches anything, several values match any of them.</summary>
    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];
}
