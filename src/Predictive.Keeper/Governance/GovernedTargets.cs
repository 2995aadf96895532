using System.Globalization;
using Predictive.Chain.Governance;
using Predictive.Chain.Rpc;
using Predictive.Keeper.Configuration;
using Predictive.Keeper.Targets;

namespace Predictive.Keeper.Governance;

/// <summary>
/// A governed vault's targets: the keeper reads the ModelRegistry itself (one <c>allModels</c> call at
/// <c>latest − confirmations</c>, never the service's word), asks the service for exactly the active
/// <c>name/version</c>, and accepts the answer only when it names that model and the SHA-256 the registry holds for it.
/// No active version, or any mismatch, refuses the pass's targets (nothing trades).
/// </summary>
public sealed class GovernedTargets
{
    private readonly VaultGovernance _governance;
    private readonly RegistryReader _registry;

    /// <summary>Creates the check for one vault, reading the registry through <paramref name="node"/> (the project's RPC pipeline).</summary>
    public GovernedTargets(VaultGovernance governance, EvmRpcClient node)
    {
        ArgumentNullException.ThrowIfNull(governance);
        ArgumentNullException.ThrowIfNull(node);
        _governance = governance;
        _registry = new RegistryReader(node.Web3, governance.Registry.ToString());
    }

    /// <summary>The registry's active version of the vault's model at the configured confirmations.</summary>
    /// <exception cref="TargetsRefusedException">No version of the model is active.</exception>
    public async Task<RegisteredModel> ActiveAsync()
    {
        var snapshot = await _registry.ReadConfirmedAsync(_governance.Confirmations).ConfigureAwait(false);
        return snapshot.ActiveVersionOf(_governance.Model)
            ?? throw new TargetsRefusedException(string.Create(CultureInfo.InvariantCulture,
                $"governed: the ModelRegistry {_governance.Registry} has no active version of model '{_governance.Model}' at block {snapshot.Block} ({_governance.Confirmations} confirmations); nothing trades until a vote activates one."), false);
    }

    /// <summary>
    /// Asks <paramref name="ask"/> for the targets of the registry's active version (the vault's <c>model</c> pinned to it)
    /// and checks the answer names that version and its registered SHA-256.
    /// </summary>
    /// <param name="vault">The vault.</param>
    /// <param name="ask">Asks the service for a vault's targets.</param>
    /// <exception cref="TargetsRefusedException">No active version, or the answer is from another model or file.</exception>
    public async Task<ServiceTargets> GetAsync(VaultSettings vault, Func<VaultSettings, Task<ServiceTargets>> ask)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(ask);
        var active = await ActiveAsync().ConfigureAwait(false);
        var pinned = string.Create(CultureInfo.InvariantCulture, $"{_governance.Model}/{active.Version}");
        var targets = await ask(vault with { Model = pinned }).ConfigureAwait(false);
        if (!string.Equals(targets.Model, pinned, StringComparison.Ordinal))
        {
            throw new TargetsRefusedException($"governed: the service answered targets from {targets.Model}, not the registry's active {pinned}; refused.", false);
        }

        return string.Equals(targets.Sha256, active.OnnxSha256, StringComparison.OrdinalIgnoreCase)
            ? targets
            : throw new TargetsRefusedException(
                $"governed: the service's targets name {targets.Model} with SHA-256 {targets.Sha256}, but the ModelRegistry {_governance.Registry} holds {active.OnnxSha256} for the active {pinned}; refused.", false);
    }
}
