using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Oracle;

/// <summary>
/// Earlier rounds of a Chainlink-compatible feed through <c>getRoundData</c>, walking back from the latest round id one
/// at a time. Chainlink's proxies number rounds with a phase in the high bits; the walk stays within the current phase
/// (the aggregator behind the proxy), which is where a feed's recent history lives.
/// </summary>
public sealed class FeedRounds
{
    private readonly EvmRpcClient _client;
    private readonly OracleReads _reads;

    /// <summary>Creates the reader.</summary>
    public FeedRounds(EvmRpcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _reads = new OracleReads(client);
    }

    /// <summary>Whether a round can price anything: answered in its own round, a positive answer, a time.</summary>
    public static bool IsValid(FeedRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return round.RoundId > 0 && round.AnsweredInRound >= round.RoundId && round.Answer.Sign > 0 && round.UpdatedAt > DateTimeOffset.UnixEpoch;
    }

    /// <summary>Round <paramref name="roundId"/> of <paramref name="feed"/>, or null when the feed has no data for it (a missing round reverts on Chainlink, reads as zeros on its mock).</summary>
    public async Task<FeedRound?> RoundAsync(EthAddress feed, BigInteger roundId, int decimals, CancellationToken cancellationToken = default)
    {
        RoundDataOutput output;
        try
        {
            output = await _client.QueryOutputAsync<GetRoundDataFunction, RoundDataOutput>(feed, new GetRoundDataFunction { RoundId = roundId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcErrorException e) when (e.RevertData is not null)
        {
            return null;
        }

        return output.UpdatedAt.IsZero
            ? null
            : new FeedRound(output.RoundId, output.Answer, DateTimeOffset.FromUnixTimeSeconds((long)output.UpdatedAt), output.AnsweredInRound, decimals);
    }

    /// <summary>
    /// Up to <paramref name="count"/> rounds of <paramref name="feed"/>, newest first, starting with the latest; stops at
    /// round 1 or at the first round the feed has no data for. Invalid rounds are included (see <see cref="IsValid"/>).
    /// </summary>
    public async Task<IReadOnlyList<FeedRound>> RecentAsync(EthAddress feed, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rounds = new List<FeedRound>(count);
        if (count == 0)
        {
            return rounds;
        }

        var latest = await _reads.LatestRoundAsync(feed, cancellationToken: cancellationToken).ConfigureAwait(false);
        rounds.Add(latest);
        for (var id = latest.RoundId - 1; id > 0 && rounds.Count < count; id--)
        {
            if (await RoundAsync(feed, id, latest.Decimals, cancellationToken).ConfigureAwait(false) is not { } round)
            {
                break;
            }

            rounds.Add(round);
        }

        return rounds;
    }
}
