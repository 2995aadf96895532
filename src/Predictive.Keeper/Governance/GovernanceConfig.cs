namespace Predictive.Keeper.Governance;

/// <summary>
/// keeper.json's <c>governance</c> section. A vault is governed when this section is present or its chain.json names a
/// governance deployment; a governed vault trades only targets of its model's version that the on-chain
/// <c>ModelRegistry</c> says is active, read by the keeper itself.
/// </summary>
public sealed record GovernanceConfig
{
    /// <summary>The ModelRegistry's address (default: each vault's chain.json <c>governance.registry</c>).</summary>
    public string? Registry { get; init; }

    /// <summary>Blocks below the head the registry is read at (a decision counts once this deep). The default value is 2.</summary>
    public int Confirmations { get; init; } = 2;
}

/// <summary>A governed vault's registry and model, resolved.</summary>
/// <param name="Registry">The ModelRegistry's address, on the vault's chain.</param>
/// <param name="Model">The model's name; its active version in the registry is the only one traded.</param>
/// <param name="Confirmations">Blocks below the head the registry is read at.</param>
public sealed record VaultGovernance(Chain.Crypto.EthAddress Registry, string Model, int Confirmations);
