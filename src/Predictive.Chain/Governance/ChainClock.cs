using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Predictive.Chain.Governance;

/// <summary>
/// The chain's block height and time, and — on anvil only — moving them forward past governance delays
/// (<c>anvil_mine</c>, <c>evm_increaseTime</c>), which a real node refuses.
/// </summary>
public sealed class ChainClock(IWeb3 web3)
{
    /// <summary>The latest block number.</summary>
    public async Task<BigInteger> BlockNumberAsync() => (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value;

    /// <summary>The latest block's Unix time.</summary>
    public async Task<BigInteger> TimestampAsync()
    {
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).ConfigureAwait(false);
        return block.Timestamp.Value;
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks (anvil).</summary>
    public async Task MineAsync(BigInteger blocks)
    {
        if (blocks <= 0)
        {
            return;
        }

        await web3.Client.SendRequestAsync<object>("anvil_mine", null, new HexBigInteger(blocks).HexValue).ConfigureAwait(false);
    }

    /// <summary>Mines until the latest block is past <paramref name="block"/> (anvil).</summary>
    public async Task MinePastAsync(BigInteger block) => await MineAsync(block + 1 - await BlockNumberAsync().ConfigureAwait(false)).ConfigureAwait(false);

    /// <summary>Moves time forward until the next block's time is at least <paramref name="unixTime"/>, and mines it (anvil).</summary>
    public async Task AdvanceTimeToAsync(BigInteger unixTime)
    {
        var gap = unixTime - await TimestampAsync().ConfigureAwait(false);
        if (gap > 0)
        {
            await web3.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(gap).HexValue).ConfigureAwait(false);
        }

        await MineAsync(1).ConfigureAwait(false);
    }
}
