using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Oracle;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>AggregatorV3Interface.getRoundData(roundId): an earlier round of a Chainlink-compatible feed.</summary>
[Function("getRoundData", typeof(RoundDataOutput))]
public sealed class GetRoundDataFunction : FunctionMessage
{
    [Parameter("uint80", "_roundId", 1)] public BigInteger RoundId { get; set; }
}

/// <summary>getRoundData's and latestRoundData's outputs.</summary>
[FunctionOutput]
public sealed class RoundDataOutput : IFunctionOutputDTO
{
    [Parameter("uint80", "roundId", 1)] public BigInteger RoundId { get; set; }
    [Parameter("int256", "answer", 2)] public BigInteger Answer { get; set; }
    [Parameter("uint256", "startedAt", 3)] public BigInteger StartedAt { get; set; }
    [Parameter("uint256", "updatedAt", 4)] public BigInteger UpdatedAt { get; set; }
    [Parameter("uint80", "answeredInRound", 5)] public BigInteger AnsweredInRound { get; set; }
}
