using System.Numerics;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Oracle;

/// <summary>A feed's latestRoundData.</summary>
/// <param name="RoundId">The round.</param>
/// <param name="Answer">The answer in the feed's decimals (may be zero or negative on a faulty feed).</param>
/// <param name="UpdatedAt">When the answer was written (chain time).</param>
/// <param name="AnsweredInRound">The round the answer was computed in (less than RoundId: unanswered).</param>
/// <param name="Decimals">The feed's decimals.</param>
public sealed record FeedRound(BigInteger RoundId, BigInteger Answer, DateTimeOffset UpdatedAt, BigInteger AnsweredInRound, int Decimals)
{
    /// <summary>The answer as a price.</summary>
    public decimal Price => (decimal)Answer / (decimal)BigInteger.Pow(10, Decimals);
}

/// <summary>A Uniswap V2 pair seen at one block: reserves and the cumulative price of the asset, brought up to the block's time.</summary>
/// <param name="Time">The block's timestamp.</param>
/// <param name="AssetReserve">The asset's reserve (base units).</param>
/// <param name="QuoteReserve">The quote token's reserve (base units).</param>
/// <param name="CumulativeAssetPrice">Σ (quote reserve / asset reserve, UQ112x112) × seconds up to <paramref name="Time"/> (uint256 wraps).</param>
public sealed record PairObservation(DateTimeOffset Time, BigInteger AssetReserve, BigInteger QuoteReserve, BigInteger CumulativeAssetPrice);

/// <summary>Reads feeds (AggregatorV3Interface) and Uniswap V2 pairs' cumulative prices, at the latest or an earlier block.</summary>
public sealed class OracleReads
{
    private static readonly BigInteger Q112 = BigInteger.One << 112;
    private static readonly BigInteger Uint256 = BigInteger.One << 256;
    private readonly EvmRpcClient _client;

    /// <summary>Creates the reader.</summary>
    public OracleReads(EvmRpcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>The feed's latest round.</summary>
    public async Task<FeedRound> LatestRoundAsync(EthAddress feed, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        var decimals = await _client.QueryAsync<FeedDecimalsFunction, int>(feed, new FeedDecimalsFunction(), block, cancellationToken).ConfigureAwait(false);
        var round = await _client.QueryOutputAsync<LatestRoundDataFunction, RoundDataOutput>(feed, new LatestRoundDataFunction(), block, cancellationToken).ConfigureAwait(false);
        return new FeedRound(round.RoundId, round.Answer, DateTimeOffset.FromUnixTimeSeconds((long)round.UpdatedAt), round.AnsweredInRound, decimals);
    }

    /// <summary>The latest block's timestamp (chain time).</summary>
    public Task<DateTimeOffset> ObserveBlockTimeAsync(CancellationToken cancellationToken = default) => _client.GetLatestTimestampAsync(cancellationToken);

    /// <summary>Like <see cref="ObserveAsync"/>, or null when the pair has no code at that block (it was created later).</summary>
    public async Task<PairObservation?> TryObserveAsync(EthAddress pair, EthAddress asset, BlockParameter block, CancellationToken cancellationToken = default)
    {
        var code = await _client.CallAsync(Call(pair, new Token0Function()), block, cancellationToken).ConfigureAwait(false);
        return code.Length == 0 ? null : await ObserveAsync(pair, asset, block, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Like <see cref="LatestRoundAsync"/>, or null when the feed has no code at that block (it was deployed later).</summary>
    public async Task<FeedRound?> TryLatestRoundAsync(EthAddress feed, BlockParameter block, CancellationToken cancellationToken = default)
    {
        var code = await _client.CallAsync(Call(feed, new FeedDecimalsFunction()), block, cancellationToken).ConfigureAwait(false);
        return code.Length == 0 ? null : await LatestRoundAsync(feed, block, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pair at <paramref name="block"/>: reserves and the asset's cumulative price as of that block's timestamp.</summary>
    public async Task<PairObservation> ObserveAsync(EthAddress pair, EthAddress asset, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        var header = await _client.GetBlockByNumberAsync(block, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The node has no block {block?.BlockNumber?.Value.ToString() ?? "latest"}.");
        var at = BlockTag.Number(header.Number.Value);
        var time = DateTimeOffset.FromUnixTimeSeconds((long)header.Timestamp.Value);
        var token0 = await _client.QueryAsync<Token0Function, string>(pair, new Token0Function(), at, cancellationToken).ConfigureAwait(false);
        var reserves = await _client.QueryOutputAsync<GetReservesFunction, ReservesOutput>(pair, new GetReservesFunction(), at, cancellationToken).ConfigureAwait(false);
        var (r0, r1, last) = (reserves.Reserve0, reserves.Reserve1, reserves.BlockTimestampLast);
        var assetIs0 = string.Equals(token0, asset.ToString(), StringComparison.OrdinalIgnoreCase);
        var cumulative = assetIs0
            ? await _client.QueryAsync<Price0CumulativeLastFunction, BigInteger>(pair, new Price0CumulativeLastFunction(), at, cancellationToken).ConfigureAwait(false)
            : await _client.QueryAsync<Price1CumulativeLastFunction, BigInteger>(pair, new Price1CumulativeLastFunction(), at, cancellationToken).ConfigureAwait(false);
        var (assetReserve, quoteReserve) = assetIs0 ? (r0, r1) : (r1, r0);
        // The pair updates its accumulators on its first trade of a block; bring them up to this block's time (32-bit
        // timestamps, as the pair keeps them) with the reserves that held since.
        var elapsed = (uint)time.ToUnixTimeSeconds() - (uint)last;
        if (elapsed > 0 && assetReserve > 0)
        {
            cumulative = (cumulative + (quoteReserve * Q112 / assetReserve * elapsed)) % Uint256;
        }

        return new PairObservation(time, assetReserve, quoteReserve, cumulative);
    }

    /// <summary>The asset's time-weighted average price (quote per asset, in token units) between two observations.</summary>
    /// <exception cref="ArgumentException">The observations are out of order.</exception>
    public static decimal Twap(PairObservation older, PairObservation newer, int assetDecimals, int quoteDecimals)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        var seconds = (long)(newer.Time - older.Time).TotalSeconds;
        if (seconds < 0)
        {
            throw new ArgumentException($"The newer observation ({newer.Time:O}) precedes the older ({older.Time:O}).", nameof(newer));
        }

        // No time between them: the price that held at the older one.
        var rawQ112 = seconds == 0
            ? older.QuoteReserve * Q112 / older.AssetReserve
            : (((newer.CumulativeAssetPrice - older.CumulativeAssetPrice) % Uint256) + Uint256) % Uint256 / seconds;
        // quote per asset in token units = raw × 10^(assetDecimals − quoteDecimals) / 2^112, kept to 18 decimals.
        var shift = assetDecimals - quoteDecimals;
        var scaled = rawQ112 * BigInteger.Pow(10, 18 + Math.Max(0, shift)) / (Q112 * BigInteger.Pow(10, Math.Max(0, -shift)));
        return (decimal)scaled / 1_000_000_000_000_000_000m;
    }

    /// <summary>The last block whose timestamp is at or before <paramref name="time"/> (binary search), or block 0.</summary>
    public async Task<BigInteger> BlockAtAsync(DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        var (low, high) = (BigInteger.Zero, await _client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false));
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            var header = await _client.GetBlockByNumberAsync(BlockTag.Number(middle), cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The node has no block {middle}.");
            (low, high) = DateTimeOffset.FromUnixTimeSeconds((long)header.Timestamp.Value) <= time ? (middle, high) : (low, middle - 1);
        }

        return low;
    }

    private static CallInput Call<TFunction>(EthAddress contract, TFunction message)
        where TFunction : FunctionMessage, new() => new(message.GetCallData().ToHex(true), contract.ToString());
}
