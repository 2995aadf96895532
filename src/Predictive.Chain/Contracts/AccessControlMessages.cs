using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Contracts;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>(role, account) of OpenZeppelin's AccessControl functions: the vault's and the Timelock's roles alike.</summary>
public abstract class RoleAccountFunction : FunctionMessage
{
    [Parameter("bytes32", "role", 1)] public byte[] Role { get; set; } = [];
    [Parameter("address", "account", 2)] public string Account { get; set; } = "";
}

/// <summary>The role's admin: grantRole(role, account).</summary>
[Function("grantRole")] public sealed class GrantRoleFunction : RoleAccountFunction;

/// <summary>The role's admin: revokeRole(role, account).</summary>
[Function("revokeRole")] public sealed class RevokeRoleFunction : RoleAccountFunction;

/// <summary>The holder itself: renounceRole(role, callerConfirmation).</summary>
[Function("renounceRole")] public sealed class RenounceRoleFunction : RoleAccountFunction;

/// <summary>hasRole(role, account) returns (bool).</summary>
[Function("hasRole", "bool")] public sealed class HasRoleFunction : RoleAccountFunction;
#pragma warning restore CS1591
