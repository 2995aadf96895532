using System.Numerics;
using Predictive.Chain.Abi;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Deployment;

/// <summary>Small helpers shared by the deployers: read calls, sends that must succeed, and chain-time deadlines.</summary>
public static class ChainCalls
{
    /// <summary>eth_call of <paramref name="function"/> on <paramref name="contract"/>, decoded.</summary>
    public static async Task<object?[]> ReadAsync(EvmRpcClient client, EthAddress contract, AbiFunction function, object?[] arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(function);
        var data = await client.CallAsync(new CallRequest(contract, function.EncodeCall(arguments)), BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        return function.DecodeOutput(data);
    }

    /// <summary>A uint256 read (e.g. balanceOf).</summary>
    public static async Task<BigInteger> ReadUIntAsync(EvmRpcClient client, EthAddress contract, AbiFunction function, object?[] arguments, CancellationToken cancellationToken = default) =>
        (BigInteger)(await ReadAsync(client, contract, function, arguments, cancellationToken).ConfigureAwait(false))[0]!;

    /// <summary>Executes a call of <paramref name="function"/> as intent <paramref name="intentId"/> and throws if it fails.</summary>
    /// <exception cref="TransactionFailedException">The transaction reverted or was rejected.</exception>
    public static async Task<ExecutionResult> SendAsync(
        TransactionManager manager, string intentId, EthAddress contract, AbiFunction function, object?[] arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(function);
        var result = await manager.ExecuteAsync(new TransactionIntent(intentId, contract, function.EncodeCall(arguments)), cancellationToken).ConfigureAwait(false);
        return result.EnsureSucceeded();
    }

    /// <summary>Deploys init code as intent <paramref name="intentId"/> and returns the new contract's address.</summary>
    public static async Task<EthAddress> DeployAsync(TransactionManager manager, string intentId, byte[] initCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manager);
        var result = (await manager.ExecuteAsync(new TransactionIntent(intentId, null, initCode), cancellationToken).ConfigureAwait(false)).EnsureSucceeded();
        return result.Receipt?.ContractAddress ?? throw new InvalidOperationException($"Deployment '{intentId}' was mined without a contract address.");
    }

    /// <summary>A deadline <paramref name="ahead"/> after the latest block's timestamp (chain time, not the local clock).</summary>
    public static async Task<BigInteger> DeadlineAsync(EvmRpcClient client, TimeSpan ahead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var block = await client.GetBlockByNumberAsync(BlockTag.Latest, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The node returned no latest block.");
        return block.Timestamp.ToUnixTimeSeconds() + (long)ahead.TotalSeconds;
    }
}
