using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Predictive.Chain.Governance;

/// <summary>A registry record's status (ModelRegistry.Status).</summary>
public enum RegistryStatus
{
    /// <summary>Never approved.</summary>
    Unknown = 0,

    /// <summary>Approved and not revoked.</summary>
    Approved = 1,

    /// <summary>Revoked for good.</summary>
    Revoked = 2,
}

/// <summary>One registered model version, as the chain says.</summary>
/// <param name="ModelId">The model's id as 0x-hex (keccak-256 of its name).</param>
/// <param name="Version">The version.</param>
/// <param name="Status">Approved or revoked.</param>
/// <param name="Active">Whether it is its model's active version.</param>
/// <param name="ApprovedAtBlock">The block of the approval.</param>
/// <param name="OnnxSha256">SHA-256 of the ONNX file (lowercase hex).</param>
/// <param name="ManifestSha256">SHA-256 of model.json (lowercase hex).</param>
/// <param name="Uri">The recorded URI.</param>
public sealed record RegisteredModel(string ModelId, ulong Version, RegistryStatus Status, bool Active, ulong ApprovedAtBlock, string OnnxSha256, string ManifestSha256, string Uri);

/// <summary>The whole registry at one block.</summary>
/// <param name="Block">The block it was read at.</param>
/// <param name="Models">Every registered version, in approval order.</param>
public sealed record OnChainRegistrySnapshot(BigInteger Block, IReadOnlyList<RegisteredModel> Models)
{
    /// <summary>The approved, not revoked version whose ONNX file has this SHA-256 (lowercase hex), or null.</summary>
    public RegisteredModel? ApprovedByOnnx(string onnxSha256) =>
        Models.FirstOrDefault(m => m.Status == RegistryStatus.Approved && string.Equals(m.OnnxSha256, onnxSha256, StringComparison.OrdinalIgnoreCase));

    /// <summary>The active (approved, unrevoked) version of the model named <paramref name="name"/>, or null when none is active.</summary>
    public RegisteredModel? ActiveVersionOf(string name)
    {
        var id = "0x" + Convert.ToHexStringLower(ModelCandidate.ModelIdOf(name));
        return Models.FirstOrDefault(m => m.Active && m.Status == RegistryStatus.Approved && string.Equals(m.ModelId, id, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>Reads the registry in one call (<c>allModels</c>) at a block the configured confirmations deep.</summary>
public sealed class RegistryReader(IWeb3 web3, string registry)
{
    /// <summary>Reads at <c>latest − confirmations</c> (never below block 0).</summary>
    public async Task<OnChainRegistrySnapshot> ReadConfirmedAsync(int confirmations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(confirmations);
        var latest = await new ChainClock(web3).BlockNumberAsync().ConfigureAwait(false);
        return await ReadAtAsync(BigInteger.Max(BigInteger.Zero, latest - confirmations)).ConfigureAwait(false);
    }

    /// <summary>Reads at a given block.</summary>
    public async Task<OnChainRegistrySnapshot> ReadAtAsync(BigInteger block)
    {
        var output = await web3.Eth.GetContractQueryHandler<AllModelsFunction>()
            .QueryDeserializingToObjectAsync<AllModelsOutput>(new AllModelsFunction(), registry, new BlockParameter(new HexBigInteger(block))).ConfigureAwait(false);
        var models = output.Models.Select((m, i) => new RegisteredModel(
            "0x" + Convert.ToHexStringLower(m.ModelId), m.Version, (RegistryStatus)m.Status, output.ActiveVersions[i] == m.Version, m.ApprovedAtBlock,
            Convert.ToHexStringLower(m.OnnxSha256), Convert.ToHexStringLower(m.ManifestSha256), m.Uri)).ToList();
        return new OnChainRegistrySnapshot(block, models);
    }
}
