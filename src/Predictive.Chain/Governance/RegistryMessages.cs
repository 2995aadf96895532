using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;

namespace Predictive.Chain.Governance;

#pragma warning disable CS1591 // Typed ABI messages: each property is the Solidity parameter of the same name.

/// <summary>ModelRegistry.approve(modelId, version, onnxSha256, manifestSha256, uri) (owner: the Timelock).</summary>
[Function("approve")]
public sealed class RegistryApproveFunction : FunctionMessage
{
    [Parameter("bytes32", "modelId", 1)] public byte[] ModelId { get; set; } = [];
    [Parameter("uint64", "version", 2)] public ulong Version { get; set; }
    [Parameter("bytes32", "onnxSha256", 3)] public byte[] OnnxSha256 { get; set; } = [];
    [Parameter("bytes32", "manifestSha256", 4)] public byte[] ManifestSha256 { get; set; } = [];
    [Parameter("string", "uri", 5)] public string Uri { get; set; } = "";
}

/// <summary>(modelId, version) of activate and revoke.</summary>
public abstract class RegistryVersionFunction : FunctionMessage
{
    [Parameter("bytes32", "modelId", 1)] public byte[] ModelId { get; set; } = [];
    [Parameter("uint64", "version", 2)] public ulong Version { get; set; }
}

/// <summary>ModelRegistry.activate.</summary>
[Function("activate")] public sealed class RegistryActivateFunction : RegistryVersionFunction;

/// <summary>ModelRegistry.revoke.</summary>
[Function("revoke")] public sealed class RegistryRevokeFunction : RegistryVersionFunction;

/// <summary>ModelRegistry.allModels: every registered version and its model's active version, in one call.</summary>
[Function("allModels", typeof(AllModelsOutput))] public sealed class AllModelsFunction : FunctionMessage;

/// <summary>One registry record.</summary>
public sealed class RegistryModelDto
{
    [Parameter("bytes32", "modelId", 1)] public byte[] ModelId { get; set; } = [];
    [Parameter("uint64", "version", 2)] public ulong Version { get; set; }
    [Parameter("uint8", "status", 3)] public int Status { get; set; }
    [Parameter("uint64", "approvedAtBlock", 4)] public ulong ApprovedAtBlock { get; set; }
    [Parameter("bytes32", "onnxSha256", 5)] public byte[] OnnxSha256 { get; set; } = [];
    [Parameter("bytes32", "manifestSha256", 6)] public byte[] ManifestSha256 { get; set; } = [];
    [Parameter("string", "uri", 7)] public string Uri { get; set; } = "";
}

/// <summary>allModels' outputs.</summary>
[FunctionOutput]
public sealed class AllModelsOutput : IFunctionOutputDTO
{
    [Parameter("tuple[]", "models", 1)] public List<RegistryModelDto> Models { get; set; } = [];
    [Parameter("uint64[]", "activeVersions", 2)] public List<ulong> ActiveVersions { get; set; } = [];
}

/// <summary>ModelRegistry.ModelApproved.</summary>
[Event("ModelApproved")]
public sealed class ModelApprovedEvent : IEventDTO
{
    [Parameter("bytes32", "modelId", 1, true)] public byte[] ModelId { get; set; } = [];
    [Parameter("uint64", "version", 2, true)] public ulong Version { get; set; }
    [Parameter("bytes32", "onnxSha256", 3, true)] public byte[] OnnxSha256 { get; set; } = [];
    [Parameter("bytes32", "manifestSha256", 4, false)] public byte[] ManifestSha256 { get; set; } = [];
    [Parameter("string", "uri", 5, false)] public string Uri { get; set; } = "";
}

/// <summary>ModelRegistry.ModelActivated.</summary>
[Event("ModelActivated")]
public sealed class ModelActivatedEvent : IEventDTO
{
    [Parameter("bytes32", "modelId", 1, true)] public byte[] ModelId { get; set; } = [];
    [Parameter("uint64", "version", 2, true)] public ulong Version { get; set; }
    [Parameter("uint64", "previousVersion", 3, false)] public ulong PreviousVersion { get; set; }
}

/// <summary>ModelRegistry.ModelRevoked.</summary>
[Event("ModelRevoked")]
public sealed class ModelRevokedEvent : IEventDTO
{
    [Parameter("bytes32", "modelId", 1, true)] public byte[] ModelId { get; set; } = [];
    [Parameter("uint64", "version", 2, true)] public ulong Version { get; set; }
    [Parameter("bool", "wasActive", 3, false)] public bool WasActive { get; set; }
}

/// <summary>Deploys GovernanceToken(name, symbol, supply).</summary>
public sealed class GovernanceTokenDeployment : ContractDeploymentMessage
{
    public GovernanceTokenDeployment() : base(string.Empty) { }
    public GovernanceTokenDeployment(string bytecode) : base(bytecode) { }

    [Parameter("string", "name_", 1)] public string Name { get; set; } = "";
    [Parameter("string", "symbol_", 2)] public string Symbol { get; set; } = "";
    [Parameter("uint256", "supply", 3)] public BigInteger Supply { get; set; }
}

/// <summary>Deploys PredictiveTimelock(minDelay, proposers, executors, admin).</summary>
public sealed class TimelockDeployment : ContractDeploymentMessage
{
    public TimelockDeployment() : base(string.Empty) { }
    public TimelockDeployment(string bytecode) : base(bytecode) { }

    [Parameter("uint256", "minDelay", 1)] public BigInteger MinDelay { get; set; }
    [Parameter("address[]", "proposers", 2)] public List<string> Proposers { get; set; } = [];
    [Parameter("address[]", "executors", 3)] public List<string> Executors { get; set; } = [];
    [Parameter("address", "admin", 4)] public string Admin { get; set; } = "";
}

/// <summary>Deploys PredictiveGovernor(token, timelock, votingDelayBlocks, votingPeriodBlocks, proposalThresholdVotes, quorumPercent).</summary>
public sealed class GovernorDeployment : ContractDeploymentMessage
{
    public GovernorDeployment() : base(string.Empty) { }
    public GovernorDeployment(string bytecode) : base(bytecode) { }

    [Parameter("address", "token", 1)] public string Token { get; set; } = "";
    [Parameter("address", "timelock", 2)] public string Timelock { get; set; } = "";
    [Parameter("uint48", "votingDelayBlocks", 3)] public ulong VotingDelayBlocks { get; set; }
    [Parameter("uint32", "votingPeriodBlocks", 4)] public uint VotingPeriodBlocks { get; set; }
    [Parameter("uint256", "proposalThresholdVotes", 5)] public BigInteger ProposalThreshold { get; set; }
    [Parameter("uint256", "quorumPercent", 6)] public BigInteger QuorumPercent { get; set; }
}

/// <summary>Deploys ModelRegistry(owner).</summary>
public sealed class ModelRegistryDeployment : ContractDeploymentMessage
{
    public ModelRegistryDeployment() : base(string.Empty) { }
    public ModelRegistryDeployment(string bytecode) : base(bytecode) { }

    [Parameter("address", "owner_", 1)] public string Owner { get; set; } = "";
}
#pragma warning restore CS1591
