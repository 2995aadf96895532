using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Contracts;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>Owner: deposit(token, amount), pulled with transferFrom.</summary>
[Function("deposit")]
public sealed class VaultDepositFunction : FunctionMessage
{
    [Parameter("address", "token", 1)] public string Token { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
}

/// <summary>Owner: withdraw(token, amount, to).</summary>
[Function("withdraw")]
public sealed class VaultWithdrawFunction : FunctionMessage
{
    [Parameter("address", "token", 1)] public string Token { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
    [Parameter("address", "to", 3)] public string To { get; set; } = "";
}

/// <summary>Guardian: pause().</summary>
[Function("pause")] public sealed class VaultPauseFunction : FunctionMessage;

/// <summary>Strategy admin: unpause().</summary>
[Function("unpause")] public sealed class VaultUnpauseFunction : FunctionMessage;

/// <summary>Strategy admin: setFeed(token, aggregator, heartbeat seconds, minAnswer, maxAnswer).</summary>
[Function("setFeed")]
public sealed class SetFeedFunction : FunctionMessage
{
    [Parameter("address", "token", 1)] public string Token { get; set; } = "";
    [Parameter("address", "aggregator", 2)] public string Aggregator { get; set; } = "";
    [Parameter("uint32", "heartbeat", 3)] public uint Heartbeat { get; set; }
    [Parameter("int128", "minAnswer", 4)] public BigInteger MinAnswer { get; set; }
    [Parameter("int128", "maxAnswer", 5)] public BigInteger MaxAnswer { get; set; }
}

/// <summary>(tokenIn, tokenOut, amountIn) of the oracle views.</summary>
public abstract class OracleAmountFunction : FunctionMessage
{
    [Parameter("address", "tokenIn", 1)] public string TokenIn { get; set; } = "";
    [Parameter("address", "tokenOut", 2)] public string TokenOut { get; set; } = "";
    [Parameter("uint256", "amountIn", 3)] public BigInteger AmountIn { get; set; }
}

/// <summary>oracleQuote(tokenIn, tokenOut, amountIn): amountIn valued in tokenOut at the feeds' latest answers.</summary>
[Function("oracleQuote", "uint256")] public sealed class OracleQuoteFunction : OracleAmountFunction;

/// <summary>oracleFloor(tokenIn, tokenOut, amountIn): the smallest minAmountOut swap accepts.</summary>
[Function("oracleFloor", "uint256")] public sealed class OracleFloorFunction : OracleAmountFunction;

/// <summary>(address, allowed) of the whitelist setters.</summary>
public abstract class AllowFunction : FunctionMessage
{
    [Parameter("address", "target", 1)] public string Target { get; set; } = "";
    [Parameter("bool", "allowed", 2)] public bool Allowed { get; set; }
}

/// <summary>Strategy admin: setAssetAllowed(token, allowed).</summary>
[Function("setAssetAllowed")] public sealed class SetAssetAllowedFunction : AllowFunction;

/// <summary>Strategy admin: setPoolAllowed(pair, allowed).</summary>
[Function("setPoolAllowed")] public sealed class SetPoolAllowedFunction : AllowFunction;

/// <summary>Strategy admin: setRouterAllowed(router, allowed).</summary>
[Function("setRouterAllowed")] public sealed class SetRouterAllowedFunction : AllowFunction;

/// <summary>Strategy admin: setLimits(maxTradeQuote, dailyCapQuote, maxSlippageBps).</summary>
[Function("setLimits")]
public sealed class SetLimitsFunction : FunctionMessage
{
    [Parameter("uint256", "maxTradeQuote", 1)] public BigInteger MaxTradeQuote { get; set; }
    [Parameter("uint256", "dailyCapQuote", 2)] public BigInteger DailyCapQuote { get; set; }
    [Parameter("uint16", "maxSlippageBps", 3)] public ushort MaxSlippageBps { get; set; }
}

/// <summary>Keeper: swap(router, tokenIn, tokenOut, amountIn, minAmountOut, deadline) returns (amountOut).</summary>
[Function("swap", "uint256")]
public sealed class VaultSwapFunction : FunctionMessage
{
    [Parameter("address", "router", 1)] public string Router { get; set; } = "";
    [Parameter("address", "tokenIn", 2)] public string TokenIn { get; set; } = "";
    [Parameter("address", "tokenOut", 3)] public string TokenOut { get; set; } = "";
    [Parameter("uint256", "amountIn", 4)] public BigInteger AmountIn { get; set; }
    [Parameter("uint256", "minAmountOut", 5)] public BigInteger MinAmountOut { get; set; }
    [Parameter("uint256", "deadline", 6)] public BigInteger Deadline { get; set; }
}

/// <summary>maxTradeQuote() returns (uint256).</summary>
[Function("maxTradeQuote", "uint256")] public sealed class MaxTradeQuoteFunction : FunctionMessage;

/// <summary>Pausable: paused() returns (bool).</summary>
[Function("paused", "bool")] public sealed class VaultPausedFunction : FunctionMessage;

/// <summary>turnoverTodayQuote() returns (uint256).</summary>
[Function("turnoverTodayQuote", "uint256")] public sealed class TurnoverTodayQuoteFunction : FunctionMessage;

/// <summary>Emitted by every swap.</summary>
[Event("Swapped")]
public sealed class SwappedEvent : IEventDTO
{
    [Parameter("address", "router", 1, true)] public string Router { get; set; } = "";
    [Parameter("address", "tokenIn", 2, true)] public string TokenIn { get; set; } = "";
    [Parameter("address", "tokenOut", 3, true)] public string TokenOut { get; set; } = "";
    [Parameter("uint256", "amountIn", 4, false)] public BigInteger AmountIn { get; set; }
    [Parameter("uint256", "amountOut", 5, false)] public BigInteger AmountOut { get; set; }
    [Parameter("uint256", "quoteAmount", 6, false)] public BigInteger QuoteAmount { get; set; }
}

/// <summary>Emitted by setLimits.</summary>
[Event("LimitsChanged")]
public sealed class LimitsChangedEvent : IEventDTO
{
    [Parameter("uint256", "maxTradeQuote", 1, false)] public BigInteger MaxTradeQuote { get; set; }
    [Parameter("uint256", "dailyCapQuote", 2, false)] public BigInteger DailyCapQuote { get; set; }
    [Parameter("uint16", "maxSlippageBps", 3, false)] public ushort MaxSlippageBps { get; set; }
}

/// <summary>Deploys PredictiveVault(owner, quoteToken).</summary>
public sealed class VaultDeployment() : ContractDeploymentMessage(string.Empty)
{
    [Parameter("address", "owner_", 1)] public string Owner { get; set; } = "";
    [Parameter("address", "quoteToken_", 2)] public string QuoteToken { get; set; } = "";
}
#pragma warning restore CS1591
