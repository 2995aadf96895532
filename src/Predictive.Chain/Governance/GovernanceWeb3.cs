using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Predictive.Chain.Crypto;

namespace Predictive.Chain.Governance;

/// <summary>Nethereum Web3 clients for a signing key on a node.</summary>
public static class GovernanceWeb3
{
    /// <summary>A Web3 that signs with <paramref name="key"/> for <paramref name="chainId"/> and talks to <paramref name="rpcUrl"/>.</summary>
    public static IWeb3 For(PrivateKey key, long chainId, string rpcUrl)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(rpcUrl);
        return new Web3(new Account("0x" + Convert.ToHexStringLower(key.ExportSecret()), chainId), rpcUrl);
    }

    /// <summary>A read-only Web3 (no account) on <paramref name="rpcUrl"/>.</summary>
    public static IWeb3 ReadOnly(string rpcUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rpcUrl);
        return new Web3(rpcUrl);
    }
}
