using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Governance;

/// <summary>
/// Nethereum Web3 clients for governance on a node, over the project's RPC pipeline (<see cref="EvmRpcClient"/>'s Polly
/// handler: reads retried on transient failures, <c>eth_sendRawTransaction</c> never; transport failures become
/// <see cref="RpcTransportException"/> naming the node and method). Node errors stay Nethereum's, so a reverted
/// governance call still surfaces as its <c>SmartContractCustomErrorRevertException</c> with the decoded custom error.
/// </summary>
public static class GovernanceWeb3
{
    /// <summary>A Web3 that signs with <paramref name="key"/> for <paramref name="chainId"/> and talks to <paramref name="rpcUrl"/>.</summary>
    public static IWeb3 For(PrivateKey key, long chainId, string rpcUrl)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new Web3(new Account("0x" + Convert.ToHexStringLower(key.ExportSecret()), chainId), Node(rpcUrl).Client);
    }

    /// <summary>A read-only Web3 (no account) on <paramref name="rpcUrl"/>.</summary>
    public static IWeb3 ReadOnly(string rpcUrl) => Node(rpcUrl).Web3;

    /// <summary>
    /// The node's client. Like Nethereum's own <c>new Web3(url)</c> it owns a connection pool that lives as long as the
    /// Web3 using it is reachable; hold one per node for long-running use.
    /// </summary>
    private static EvmRpcClient Node(string rpcUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rpcUrl);
        var endpoint = Uri.TryCreate(rpcUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"'{rpcUrl}' is not an absolute http(s) RPC URL.", nameof(rpcUrl));
        return new EvmRpcClient(null, new RpcClientOptions { Endpoint = endpoint }, null, nethereumNodeErrors: true);
    }
}
