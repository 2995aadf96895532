using System.Globalization;
using Predictive.Chain.Crypto;
using Predictive.Chain.LocalChain;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Governance;

/// <summary>Validates keeper.json's governance against each vault's chain.json; every error names its field.</summary>
public static class GovernanceValidation
{
    /// <summary>The model a governed vault trades when its <c>model</c> field is unset (the service's default model's name).</summary>
    public const string DefaultModel = "default";

    /// <summary>The most confirmations accepted.</summary>
    public const int MaxConfirmations = 1_000;

    /// <summary>
    /// The vault's governance, or null when it is ungoverned (no <c>governance</c> section and chain.json names none).
    /// In governed mode <c>model</c> must be a model's name: a pinned version or a local model path is refused.
    /// </summary>
    /// <param name="config">keeper.json's governance section, if any.</param>
    /// <param name="vault">The vault's configuration.</param>
    /// <param name="manifest">Its chain.json (null when it failed to load; then nothing is checked against it).</param>
    /// <param name="at">The vault's field path, e.g. <c>vaults[0]</c>.</param>
    /// <param name="errors">Where errors are added.</param>
    public static VaultGovernance? Resolve(GovernanceConfig? config, VaultConfig vault, LocalChainManifest? manifest, string at, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(errors);
        var onChain = manifest?.Governance?.Registry;
        if (config is null && onChain is null)
        {
            return null;
        }

        var before = errors.Count;
        var confirmations = config?.Confirmations ?? new GovernanceConfig().Confirmations;
        if (confirmations is < 0 or > MaxConfirmations)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"governance.confirmations: {confirmations} is outside [0, {MaxConfirmations}]."));
        }

        EthAddress? registry = null;
        var text = config?.Registry ?? onChain;
        if (text is null)
        {
            errors.Add($"governance.registry: required: {vault.Chain} names no governance deployment, so give the ModelRegistry's address.");
        }
        else if (!EthAddress.TryParse(text, out var parsed))
        {
            errors.Add($"governance.registry: '{text}' is not a 20-byte hex address.");
        }
        else if (onChain is not null && !string.Equals(onChain, parsed.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"governance.registry: {parsed} is not the registry of {vault.Chain} ({onChain}); a governed vault reads its own chain's registry.");
        }
        else
        {
            registry = parsed;
        }

        var model = vault.Model ?? DefaultModel;
        if (model.Length is 0 or > 128 || model.Any(c => c is '/' or '\\' || char.IsWhiteSpace(c)) || model.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{at}.model: '{model}' is refused in governed mode: give the model's name only (e.g. \"{DefaultModel}\"); the registry's active version of it is the only one traded, so pinned versions and local model paths are not accepted.");
        }

        return errors.Count > before ? null : new VaultGovernance(registry!, model, confirmations);
    }

    /// <summary>
    /// Why fixed targets (a <c>--targets</c> file or a local <c>--model</c>) are refused for the vault of
    /// <paramref name="manifest"/>, or null when it is ungoverned.
    /// </summary>
    /// <param name="manifest">chain.json.</param>
    /// <param name="manifestPath">Its path, for the message.</param>
    public static string? FixedTargetsRefusal(LocalChainManifest manifest, string manifestPath)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return manifest.Governance is { } governance
            ? $"vault {manifest.Vault} is governed ({manifestPath} names the ModelRegistry {governance.Registry}): it trades only targets of the model the registry says is active, so --targets files and local --model paths are refused. Run `predictive keeper run` with a keeper.json over the governed service."
            : null;
    }
}
