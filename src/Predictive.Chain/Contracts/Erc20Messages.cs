using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Contracts;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>ERC-20 balanceOf(owner) returns (uint256).</summary>
[Function("balanceOf", "uint256")]
public sealed class BalanceOfFunction : FunctionMessage
{
    [Parameter("address", "owner", 1)] public string Owner { get; set; } = "";
}

/// <summary>ERC-20 approve(spender, amount) returns (bool).</summary>
[Function("approve", "bool")]
public sealed class ApproveFunction : FunctionMessage
{
    [Parameter("address", "spender", 1)] public string Spender { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
}

/// <summary>ERC-20 transfer(to, amount) returns (bool).</summary>
[Function("transfer", "bool")]
public sealed class TransferFunction : FunctionMessage
{
    [Parameter("address", "to", 1)] public string To { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
}

/// <summary>TestToken.mint(to, amount), deployer only.</summary>
[Function("mint")]
public sealed class MintFunction : FunctionMessage
{
    [Parameter("address", "to", 1)] public string To { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
}

/// <summary>Deploys TestToken(name, symbol, decimals).</summary>
public sealed class TestTokenDeployment() : ContractDeploymentMessage(string.Empty)
{
    [Parameter("string", "name_", 1)] public string Name { get; set; } = "";
    [Parameter("string", "symbol_", 2)] public string Symbol { get; set; } = "";
    [Parameter("uint8", "decimals_", 3)] public byte Decimals { get; set; }
}
#pragma warning restore CS1591
