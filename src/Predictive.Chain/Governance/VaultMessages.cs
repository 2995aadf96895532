using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Governance;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>PredictiveVault.setLimits(maxTradeQuote, dailyCapQuote, maxSlippageBps) (strategy admin).</summary>
[Function("setLimits")]
public sealed class VaultSetLimitsFunction : FunctionMessage
{
    [Parameter("uint256", "maxTradeQuote_", 1)] public BigInteger MaxTradeQuote { get; set; }
    [Parameter("uint256", "dailyCapQuote_", 2)] public BigInteger DailyCapQuote { get; set; }
    [Parameter("uint16", "maxSlippageBps_", 3)] public ushort MaxSlippageBps { get; set; }
}

/// <summary>PredictiveVault.setFeed(token, aggregator, heartbeat, minAnswer, maxAnswer) (strategy admin).</summary>
[Function("setFeed")]
public sealed class VaultSetFeedFunction : FunctionMessage
{
    [Parameter("address", "token", 1)] public string Token { get; set; } = "";
    [Parameter("address", "aggregator", 2)] public string Aggregator { get; set; } = "";
    [Parameter("uint32", "heartbeat", 3)] public uint Heartbeat { get; set; }
    [Parameter("int128", "minAnswer", 4)] public BigInteger MinAnswer { get; set; }
    [Parameter("int128", "maxAnswer", 5)] public BigInteger MaxAnswer { get; set; }
}

/// <summary>PredictiveVault.pause() (guardian).</summary>
[Function("pause")] public sealed class VaultPauseFunction : FunctionMessage;

/// <summary>PredictiveVault.unpause() (strategy admin).</summary>
[Function("unpause")] public sealed class VaultUnpauseFunction : FunctionMessage;

/// <summary>Pausable.paused().</summary>
[Function("paused", "bool")] public sealed class VaultPausedFunction : FunctionMessage;

/// <summary>PredictiveVault.maxTradeQuote().</summary>
[Function("maxTradeQuote", "uint256")] public sealed class VaultMaxTradeQuoteFunction : FunctionMessage;

/// <summary>PredictiveVault.withdraw(token, amount, to) (owner: custody).</summary>
[Function("withdraw")]
public sealed class VaultWithdrawFunction : FunctionMessage
{
    [Parameter("address", "token", 1)] public string Token { get; set; } = "";
    [Parameter("uint256", "amount", 2)] public BigInteger Amount { get; set; }
    [Parameter("address", "to", 3)] public string To { get; set; } = "";
}
