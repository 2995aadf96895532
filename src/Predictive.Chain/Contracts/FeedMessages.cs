using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Contracts;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>AggregatorV3Interface.decimals() of the answers.</summary>
[Function("decimals", "uint8")]
public sealed class FeedDecimalsFunction : FunctionMessage;

/// <summary>AggregatorV3Interface.latestRoundData().</summary>
[Function("latestRoundData", typeof(RoundDataOutput))]
public sealed class LatestRoundDataFunction : FunctionMessage;

/// <summary>AggregatorV3Interface.getRoundData(roundId): an earlier round (same outputs as latestRoundData).</summary>
[Function("getRoundData", typeof(RoundDataOutput))]
public sealed class GetRoundDataFunction : FunctionMessage
{
    [Parameter("uint80", "_roundId", 1)] public BigInteger RoundId { get; set; }
}

/// <summary>latestRoundData's and getRoundData's outputs.</summary>
[FunctionOutput]
public sealed class RoundDataOutput : IFunctionOutputDTO
{
    [Parameter("uint80", "roundId", 1)] public BigInteger RoundId { get; set; }
    [Parameter("int256", "answer", 2)] public BigInteger Answer { get; set; }
    [Parameter("uint256", "startedAt", 3)] public BigInteger StartedAt { get; set; }
    [Parameter("uint256", "updatedAt", 4)] public BigInteger UpdatedAt { get; set; }
    [Parameter("uint80", "answeredInRound", 5)] public BigInteger AnsweredInRound { get; set; }
}

/// <summary>MockV3Aggregator.updateAnswer(answer): a new round at the block's timestamp.</summary>
[Function("updateAnswer")]
public sealed class UpdateAnswerFunction : FunctionMessage
{
    [Parameter("int256", "_answer", 1)] public BigInteger Answer { get; set; }
}

/// <summary>MockV3Aggregator.updateRoundData(roundId, answer, timestamp, startedAt).</summary>
[Function("updateRoundData")]
public sealed class UpdateRoundDataFunction : FunctionMessage
{
    [Parameter("uint80", "_roundId", 1)] public BigInteger RoundId { get; set; }
    [Parameter("int256", "_answer", 2)] public BigInteger Answer { get; set; }
    [Parameter("uint256", "_timestamp", 3)] public BigInteger Timestamp { get; set; }
    [Parameter("uint256", "_startedAt", 4)] public BigInteger StartedAt { get; set; }
}

/// <summary>RoundControlledFeed.setRound(roundId, answer, updatedAt, answeredInRound) (tests).</summary>
[Function("setRound")]
public sealed class SetRoundFunction : FunctionMessage
{
    [Parameter("uint80", "roundId", 1)] public BigInteger RoundId { get; set; }
    [Parameter("int256", "answer", 2)] public BigInteger Answer { get; set; }
    [Parameter("uint256", "updatedAt", 3)] public BigInteger UpdatedAt { get; set; }
    [Parameter("uint80", "answeredInRound", 4)] public BigInteger AnsweredInRound { get; set; }
}

/// <summary>Deploys MockV3Aggregator(decimals, initialAnswer).</summary>
public sealed class MockV3AggregatorDeployment() : ContractDeploymentMessage(string.Empty)
{
    [Parameter("uint8", "_decimals", 1)] public byte Decimals { get; set; }
    [Parameter("int256", "_initialAnswer", 2)] public BigInteger InitialAnswer { get; set; }
}

/// <summary>Deploys RoundControlledFeed(decimals) (tests).</summary>
public sealed class RoundControlledFeedDeployment() : ContractDeploymentMessage(string.Empty)
{
    [Parameter("uint8", "decimals_", 1)] public byte Decimals { get; set; }
}
#pragma warning restore CS1591
