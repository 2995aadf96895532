using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace Predictive.Chain.Rpc;

/// <summary>Short names for Nethereum's <see cref="BlockParameter"/>s.</summary>
public static class BlockTag
{
    /// <summary>The latest mined block.</summary>
    public static BlockParameter Latest => BlockParameter.CreateLatest();

    /// <summary>The pending state (includes the node's queued transactions).</summary>
    public static BlockParameter Pending => BlockParameter.CreatePending();

    /// <summary>The earliest block.</summary>
    public static BlockParameter Earliest => BlockParameter.CreateEarliest();

    /// <summary>A block by number.</summary>
    public static BlockParameter Number(BigInteger number) => new(new HexBigInteger(number));
}
