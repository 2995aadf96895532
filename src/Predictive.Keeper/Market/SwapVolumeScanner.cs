using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Keeper.Market;

/// <summary>One pool the scanner sums: the asset it prices and the quote token's decimals.</summary>
/// <param name="Asset">The asset's symbol.</param>
/// <param name="Pool">Its asset/quote Uniswap V2 pair.</param>
/// <param name="Quote">The quote token.</param>
/// <param name="QuoteDecimals">The quote token's decimals.</param>
public sealed record SwapPool(string Asset, EthAddress Pool, EthAddress Quote, int QuoteDecimals);

/// <summary>
/// Traded volume per bar from the pools' Uniswap V2 <c>Swap</c> events (eth_getLogs in block ranges of at most
/// <c>maxBlockRange</c>): each swap's quote-token side (in + out, in quote units) counts in the bar of its block's
/// timestamp. Only blocks up to the caller's safe head are read, and what was read is kept: the next scan starts after
/// the last block scanned, once that block's hash is still the chain's (a reorg deeper than the safe depth drops what was
/// kept and scans again).
/// </summary>
public sealed class SwapVolumeScanner
{
    private readonly IReadOnlyList<SwapPool> _pools;
    private readonly long _barSeconds;
    private readonly int _maxBlockRange;
    private readonly Dictionary<EthAddress, bool> _quoteIsToken0 = [];
    private readonly Dictionary<(string Asset, long Bar), double> _volume = [];
    private readonly Dictionary<BigInteger, long> _blockTimes = [];
    private (BigInteger Number, string Hash)? _scanned;

    /// <summary>Creates the scanner.</summary>
    public SwapVolumeScanner(IReadOnlyList<SwapPool> pools, TimeSpan bar, int maxBlockRange)
    {
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlockRange, 1);
        _pools = [.. pools];
        _barSeconds = (long)bar.TotalSeconds;
        _maxBlockRange = maxBlockRange;
    }

    /// <summary>How many eth_getLogs requests the scanner has made (each covers at most <c>maxBlockRange</c> blocks).</summary>
    public int LogRequests { get; private set; }

    /// <summary>
    /// Brings the sums up to <paramref name="safe"/> (a block the caller trusts not to be reorganised), starting no earlier
    /// than the first block at or after <paramref name="windowStart"/>, and drops bars before it. Returns false when the
    /// last block scanned before is no longer the chain's (a reorg deeper than the safe depth): everything kept was
    /// dropped and scanned again, and the caller should drop what it keeps from the same blocks too.
    /// </summary>
    public async Task<bool> ScanAsync(EvmRpcClient client, BlockWithTransactionHashes safe, long windowStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(safe);
        var reorged = false;
        if (_scanned is { } last)
        {
            var still = await client.GetBlockByNumberAsync(new BlockParameter(new HexBigInteger(last.Number)), cancellationToken).ConfigureAwait(false);
            if (still is null || !string.Equals(still.BlockHash, last.Hash, StringComparison.OrdinalIgnoreCase))
            {
                // The chain replaced a block this scanner had counted: start again from the window.
                _scanned = null;
                _volume.Clear();
                _blockTimes.Clear();
                reorged = true;
            }
        }

        var to = safe.Number.Value;
        var from = _scanned is { } s ? s.Number + 1 : await FirstBlockAtOrAfterAsync(client, windowStart, to, cancellationToken).ConfigureAwait(false);
        var handler = client.Web3.Eth.GetEvent<UniswapV2SwapEvent>();
        for (var start = from; start <= to; start += _maxBlockRange)
        {
            var end = BigInteger.Min(to, start + _maxBlockRange - 1);
            var filter = handler.CreateFilterInput(new BlockParameter(new HexBigInteger(start)), new BlockParameter(new HexBigInteger(end)));
            filter.Address = [.. _pools.Select(p => p.Pool.ToString())];
            var logs = await client.GetLogsAsync(filter, cancellationToken).ConfigureAwait(false);
            LogRequests++;
            foreach (var log in handler.DecodeAllEventsForEvent([.. logs]))
            {
                await AddAsync(client, log, cancellationToken).ConfigureAwait(false);
            }
        }

        _scanned = (to, safe.BlockHash);
        foreach (var key in _volume.Keys.Where(k => k.Bar < windowStart).ToList())
        {
            _volume.Remove(key);
        }

        return !reorged;
    }

    /// <summary>The quote volume of <paramref name="asset"/>'s pool in the bar opening at <paramref name="barStart"/> (unix seconds).</summary>
    public double Volume(string asset, long barStart) => _volume.GetValueOrDefault((asset, barStart));

    private async Task AddAsync(EvmRpcClient client, EventLog<UniswapV2SwapEvent> log, CancellationToken cancellationToken)
    {
        var pool = _pools.FirstOrDefault(p => string.Equals(p.Pool.ToString(), log.Log.Address, StringComparison.OrdinalIgnoreCase));
        if (pool is null || log.Log.Removed)
        {
            return;
        }

        if (!_quoteIsToken0.TryGetValue(pool.Pool, out var quote0))
        {
            var token0 = await client.QueryAsync<Token0Function, string>(pool.Pool, new Token0Function(), null, cancellationToken).ConfigureAwait(false);
            quote0 = string.Equals(token0, pool.Quote.ToString(), StringComparison.OrdinalIgnoreCase);
            _quoteIsToken0[pool.Pool] = quote0;
        }

        var e = log.Event;
        var raw = quote0 ? e.Amount0In + e.Amount0Out : e.Amount1In + e.Amount1Out;
        var time = await BlockTimeAsync(client, log.Log.BlockNumber.Value, cancellationToken).ConfigureAwait(false);
        var bar = Math.DivRem(time, _barSeconds, out var rem) * _barSeconds - (rem < 0 ? _barSeconds : 0);
        _volume[(pool.Asset, bar)] = _volume.GetValueOrDefault((pool.Asset, bar)) + (double)raw / Math.Pow(10, pool.QuoteDecimals);
    }

    private async Task<long> BlockTimeAsync(EvmRpcClient client, BigInteger number, CancellationToken cancellationToken)
    {
        if (!_blockTimes.TryGetValue(number, out var time))
        {
            var block = await client.GetBlockByNumberAsync(new BlockParameter(new HexBigInteger(number)), cancellationToken).ConfigureAwait(false)
                ?? throw new RpcTransportException("eth_getBlockByNumber", client.Endpoint, 1, $"the node has no block {number}, though it returned a log from it");
            time = (long)block.Timestamp.Value;
            _blockTimes[number] = time;
        }

        return time;
    }

    /// <summary>The first block whose timestamp is at or after <paramref name="time"/> (binary search; <paramref name="last"/> + 1 when none is).</summary>
    private async Task<BigInteger> FirstBlockAtOrAfterAsync(EvmRpcClient client, long time, BigInteger last, CancellationToken cancellationToken)
    {
        BigInteger lo = 0, hi = last + 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (await BlockTimeAsync(client, mid, cancellationToken).ConfigureAwait(false) >= time)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
