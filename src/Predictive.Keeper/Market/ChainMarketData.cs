using System.Numerics;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Crypto;
using Predictive.Chain.Oracle;
using Predictive.Chain.Rpc;
using Predictive.Core.MarketData;
using Predictive.Keeper.Configuration;

namespace Predictive.Keeper.Market;

/// <summary>
/// Market data from the chain itself, bar by bar on chain time (bars of <c>marketData.barSeconds</c>, by default the
/// vault's interval, opening at multiples of it since the Unix epoch):
/// <list type="bullet">
/// <item>close: each asset's feed over the quote token's feed, at the last round updated before the bar's end;</item>
/// <item>volume: the quote side of every <c>Swap</c> of the asset's pool in the bar (<see cref="SwapVolumeScanner"/>).</item>
/// </list>
/// Only bars that closed at or before the safe head (the head less <c>marketData.finalityBlocks</c>) and the chain head's
/// time are used, so a bar's numbers never change afterwards and nothing later than the decision is seen; rounds and
/// logs read once are kept and only newer ones are read on the next pass.
/// </summary>
public sealed class ChainMarketData : IMarketDataSource
{
    private readonly VaultSettings _vault;
    private readonly OracleAsset _quote;
    private readonly IReadOnlyList<OracleAsset> _assets;
    private readonly long _barSeconds;
    private readonly int _bars;
    private readonly int _finality;
    private readonly SwapVolumeScanner _volume;
    private readonly Dictionary<EthAddress, SortedList<BigInteger, FeedRound>> _rounds = [];

    /// <summary>Creates the source for <paramref name="vault"/>: its chain.json's feeds and pools.</summary>
    /// <exception cref="ArgumentException">chain.json names no feeds.</exception>
    public ChainMarketData(VaultSettings vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        _vault = vault;
        (_quote, _assets) = vault.Manifest.ToOracle() ?? throw new ArgumentException($"vault {vault.Name}: chain.json names no price feeds, so the chain cannot be its market data.", nameof(vault));
        _barSeconds = vault.MarketData.BarSeconds ?? (long)vault.Interval.TotalSeconds;
        _bars = vault.MarketDataBars;
        _finality = vault.MarketData.FinalityBlocks;
        var quoteDecimals = vault.Manifest.QuoteToken.Decimals;
        _volume = new SwapVolumeScanner([.. _assets.Select(a => new SwapPool(a.Symbol, a.Pool, _quote.Token, quoteDecimals))], TimeSpan.FromSeconds(_barSeconds), vault.MarketData.MaxBlockRange);
        Name = $"chain {vault.RpcUrl.GetLeftPart(UriPartial.Authority)} (feeds and Swap volume, {_barSeconds} s bars)";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The scanner's eth_getLogs request count so far.</summary>
    public int LogRequests => _volume.LogRequests;

    /// <inheritdoc />
    public async Task<PricePanel> AtAsync(IReadOnlyList<string> assets, DateTimeOffset time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var unknown = assets.Where(a => _assets.All(o => o.Symbol != a)).ToList();
        if (unknown.Count > 0)
        {
            throw new MarketDataException(Name, null, $"no feed or pool for {string.Join(", ", unknown)} in chain.json.");
        }

        using var client = new EvmRpcClient(new RpcClientOptions { Endpoint = _vault.RpcUrl, AttemptTimeout = TimeSpan.FromSeconds(30), TotalTimeout = TimeSpan.FromMinutes(2) });
        var head = await client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        var safe = await client.GetBlockByNumberAsync(new BlockParameter(new HexBigInteger(BigInteger.Max(0, head - _finality))), cancellationToken).ConfigureAwait(false)
            ?? throw new MarketDataException(Name, null, $"the node has no block {head - _finality} (head {head} less finalityBlocks {_finality}).");
        var until = Math.Min(time.ToUnixTimeSeconds(), (long)safe.Timestamp.Value);
        var end = until / _barSeconds * _barSeconds;
        var start = end - (_bars * _barSeconds);
        if (!await _volume.ScanAsync(client, safe, start, cancellationToken).ConfigureAwait(false))
        {
            // A reorg below the safe head: rounds kept from the replaced blocks may differ on the new chain.
            _rounds.Clear();
        }

        var quoteRounds = await RoundsAsync(client, _quote.Feed, start, until, cancellationToken).ConfigureAwait(false);
        var selected = assets.Select(a => _assets.First(o => o.Symbol == a)).ToList();
        var timestamps = new DateTimeOffset[_bars];
        var close = selected.Select(_ => new double[_bars]).ToArray();
        var volume = selected.Select(_ => new double[_bars]).ToArray();
        for (var a = 0; a < selected.Count; a++)
        {
            var rounds = await RoundsAsync(client, selected[a].Feed, start, until, cancellationToken).ConfigureAwait(false);
            for (var b = 0; b < _bars; b++)
            {
                var open = start + (b * _barSeconds);
                timestamps[b] = DateTimeOffset.FromUnixTimeSeconds(open);
                var price = Before(rounds, open + _barSeconds);
                var quote = Before(quoteRounds, open + _barSeconds);
                close[a][b] = price is null || quote is null ? double.NaN : (double)(price.Price / quote.Price);
                volume[a][b] = _volume.Volume(selected[a].Symbol, open);
            }
        }

        var missing = selected.Where((_, a) => double.IsNaN(close[a][^1])).Select(s => s.Symbol).ToList();
        if (missing.Count > 0)
        {
            throw new MarketDataException(Name, null, $"no feed round of {string.Join(", ", missing)} before the end of the last closed bar ({DateTimeOffset.FromUnixTimeSeconds(end):O}).");
        }

        return new PricePanel(timestamps, [.. assets], new BarInterval(TimeSpan.FromSeconds(_barSeconds)), close, volume: volume);
    }

    /// <summary>The last valid round updated strictly before <paramref name="end"/> (unix seconds), or null.</summary>
    private static FeedRound? Before(SortedList<BigInteger, FeedRound> rounds, long end)
    {
        for (var i = rounds.Count - 1; i >= 0; i--)
        {
            var r = rounds.Values[i];
            if (r.UpdatedAt.ToUnixTimeSeconds() < end && FeedRounds.IsValid(r))
            {
                return r;
            }
        }

        return null;
    }

    /// <summary>
    /// The feed's rounds updated at or before <paramref name="until"/>, back to the first one before <paramref name="start"/>:
    /// kept rounds are not read again (a round at or before the safe head's time is final), newer ones are walked back to them.
    /// </summary>
    private async Task<SortedList<BigInteger, FeedRound>> RoundsAsync(EvmRpcClient client, EthAddress feed, long start, long until, CancellationToken cancellationToken)
    {
        if (!_rounds.TryGetValue(feed, out var kept))
        {
            kept = [];
            _rounds[feed] = kept;
        }

        var reader = new FeedRounds(client);
        var latest = await new OracleReads(client).LatestRoundAsync(feed, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var id = latest.RoundId; id > 0 && !kept.ContainsKey(id); id--)
        {
            var round = id == latest.RoundId ? latest : await reader.RoundAsync(feed, id, latest.Decimals, cancellationToken).ConfigureAwait(false);
            if (round is null)
            {
                break;
            }

            if (round.UpdatedAt.ToUnixTimeSeconds() <= until)
            {
                kept[id] = round;
            }

            if (round.UpdatedAt.ToUnixTimeSeconds() < start)
            {
                break;
            }
        }

        // Rounds older than the one in force at the window's start are not needed again.
        while (kept.Count > 1 && kept.Values[1].UpdatedAt.ToUnixTimeSeconds() < start)
        {
            kept.RemoveAt(0);
        }

        return kept;
    }
}
