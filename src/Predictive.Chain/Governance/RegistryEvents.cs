using System.Numerics;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Predictive.Chain.Governance;

/// <summary>What a registry event records.</summary>
public enum RegistryEventKind
{
    /// <summary><c>ModelApproved</c>: a version's hashes were approved.</summary>
    Approved,

    /// <summary><c>ModelActivated</c>: a version became its model's active one.</summary>
    Activated,

    /// <summary><c>ModelRevoked</c>: a version was revoked for good.</summary>
    Revoked,
}

/// <summary>One registry decision, as its event log records it.</summary>
/// <param name="Kind">Approved, activated or revoked.</param>
/// <param name="Block">The block of the transaction that made it.</param>
/// <param name="LogIndex">The log's index in that block (orders decisions within a block).</param>
/// <param name="TransactionHash">The transaction (the Timelock's execute), 0x-hex.</param>
/// <param name="ModelId">The model's id, 0x-hex (keccak-256 of its name).</param>
/// <param name="Version">The version concerned.</param>
/// <param name="OnnxSha256">For an approval, SHA-256 of the ONNX file (lowercase hex); otherwise null.</param>
/// <param name="Uri">For an approval, the recorded URI; otherwise null.</param>
/// <param name="PreviousVersion">For an activation, the version that was active before (0: none); otherwise null.</param>
/// <param name="WasActive">For a revocation, whether the version was the active one; otherwise null.</param>
public sealed record RegistryEvent(
    RegistryEventKind Kind, ulong Block, ulong LogIndex, string TransactionHash, string ModelId, ulong Version, string? OnnxSha256, string? Uri, ulong? PreviousVersion, bool? WasActive);

/// <summary>
/// Reads the registry's decisions (<c>ModelApproved</c>, <c>ModelActivated</c>, <c>ModelRevoked</c>) from its event logs
/// in a block range, with <c>eth_getLogs</c> through Nethereum's typed events. <see cref="RegistryReader"/> gives the
/// state at a block; this gives the history that led to it, with the block and transaction of each decision.
/// </summary>
public sealed class RegistryEventReader(IWeb3 web3, string registry)
{
    /// <summary>Every decision in blocks <paramref name="from"/> to <paramref name="to"/> (inclusive), in chain order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is negative or empty.</exception>
    public async Task<IReadOnlyList<RegistryEvent>> ReadAsync(BigInteger from, BigInteger to)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var approved = await LogsAsync<ModelApprovedEvent>(from, to).ConfigureAwait(false);
        var activated = await LogsAsync<ModelActivatedEvent>(from, to).ConfigureAwait(false);
        var revoked = await LogsAsync<ModelRevokedEvent>(from, to).ConfigureAwait(false);
        return
        [
            .. approved.Select(l => Of(RegistryEventKind.Approved, l.Log, l.Event.ModelId, l.Event.Version) with { OnnxSha256 = Convert.ToHexStringLower(l.Event.OnnxSha256), Uri = l.Event.Uri })
                .Concat(activated.Select(l => Of(RegistryEventKind.Activated, l.Log, l.Event.ModelId, l.Event.Version) with { PreviousVersion = l.Event.PreviousVersion }))
                .Concat(revoked.Select(l => Of(RegistryEventKind.Revoked, l.Log, l.Event.ModelId, l.Event.Version) with { WasActive = l.Event.WasActive }))
                .OrderBy(e => e.Block).ThenBy(e => e.LogIndex),
        ];
    }

    private async Task<List<EventLog<T>>> LogsAsync<T>(BigInteger from, BigInteger to)
        where T : IEventDTO, new()
    {
        var handler = web3.Eth.GetEvent<T>(registry);
        return await handler.GetAllChangesAsync(handler.CreateFilterInput(new BlockParameter(new HexBigInteger(from)), new BlockParameter(new HexBigInteger(to)))).ConfigureAwait(false);
    }

    private static RegistryEvent Of(RegistryEventKind kind, FilterLog log, byte[] modelId, ulong version) =>
        new(kind, (ulong)log.BlockNumber.Value, (ulong)log.LogIndex.Value, log.TransactionHash, "0x" + Convert.ToHexStringLower(modelId), version, null, null, null, null);
}
