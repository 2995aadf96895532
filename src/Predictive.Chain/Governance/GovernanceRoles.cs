using Nethereum.Util;

namespace Predictive.Chain.Governance;

/// <summary>The OpenZeppelin role ids the set-up grants (keccak-256 of the role name; the admin role is zero).</summary>
public static class GovernanceRoles
{
    /// <summary>AccessControl's DEFAULT_ADMIN_ROLE (the Timelock's admin; renounced after set-up).</summary>
    public static byte[] DefaultAdmin => new byte[32];

    /// <summary>TimelockController.PROPOSER_ROLE (the Governor only).</summary>
    public static byte[] Proposer => Role("PROPOSER_ROLE");

    /// <summary>TimelockController.CANCELLER_ROLE (the Governor and the guardian).</summary>
    public static byte[] Canceller => Role("CANCELLER_ROLE");

    /// <summary>TimelockController.EXECUTOR_ROLE (held by the zero address: anyone executes a ready operation).</summary>
    public static byte[] Executor => Role("EXECUTOR_ROLE");

    /// <summary>PredictiveVault.STRATEGY_ADMIN_ROLE (feeds, limits, whitelists, unpause; the Timelock under governance).</summary>
    public static byte[] VaultStrategyAdmin => Role("STRATEGY_ADMIN_ROLE");

    /// <summary>PredictiveVault.GUARDIAN_ROLE (pause only).</summary>
    public static byte[] VaultGuardian => Role("GUARDIAN_ROLE");

    /// <summary>The id of an AccessControl role: keccak-256 of its name.</summary>
    public static byte[] Role(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes(name));
    }
}
