using Nethereum.Web3;
using Predictive.Chain.Crypto;
using Predictive.Chain.Governance;
using Predictive.Chain.LocalChain;
using Predictive.Operator.Options;

namespace Predictive.Operator.Governance;

/// <summary>The node, chain id, Governor and registry a governed operator uses, resolved from <c>Operator:Governance</c>.</summary>
/// <param name="RpcUrl">The node's JSON-RPC address.</param>
/// <param name="ChainId">The chain id the node must report.</param>
/// <param name="Governor">The Governor.</param>
/// <param name="Registry">The model registry.</param>
public sealed record GovernanceTarget(string RpcUrl, long ChainId, string Governor, string Registry)
{
    /// <summary>Explicit settings win over the chain manifest's; the chain id defaults to anvil's.</summary>
    /// <exception cref="GovernanceException">Neither names the node, the Governor or the registry.</exception>
    public static GovernanceTarget From(GovernanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var manifest = options.ChainManifest is { } file ? LocalChainManifest.Load(file) : null;
        string Required(string? value, string name) =>
            value ?? throw new GovernanceException($"Operator:Governance:{name} is not set and {(manifest is null ? "no ChainManifest is given" : $"{options.ChainManifest} has no governance; run `predictive governance up`")}.");
        return new GovernanceTarget(
            Required(options.RpcUrl?.ToString() ?? manifest?.RpcUrl, nameof(options.RpcUrl)),
            options.ChainId ?? manifest?.ChainId ?? AnvilDevAccounts.ChainId,
            Required(options.Governor ?? manifest?.Governance?.Governor, nameof(options.Governor)),
            Required(options.Registry ?? manifest?.Governance?.Registry, nameof(options.Registry)));
    }

    /// <summary>
    /// The addresses a <see cref="GovernanceClient"/> needs to propose and list proposals: the Governor and the registry
    /// (the token, Timelock and guardian are not used by the operator and left empty).
    /// </summary>
    public GovernanceAddresses Addresses => new("", Governor, "", Registry, "");

    /// <summary>A Web3 on the node, signing with <paramref name="key"/> (read-only when null), after checking the node's chain id.</summary>
    /// <exception cref="GovernanceException">The node is on another chain.</exception>
    public async Task<IWeb3> ConnectAsync(PrivateKey? key, CancellationToken cancellationToken)
    {
        var web3 = key is null ? GovernanceWeb3.ReadOnly(RpcUrl) : GovernanceWeb3.For(key, ChainId, RpcUrl);
        var reported = (await web3.Eth.ChainId.SendRequestAsync().ConfigureAwait(false)).Value;
        cancellationToken.ThrowIfCancellationRequested();
        return reported == ChainId ? web3 : throw new GovernanceException($"the node at {RpcUrl} is on chain {reported}, not the configured {ChainId}.");
    }
}
