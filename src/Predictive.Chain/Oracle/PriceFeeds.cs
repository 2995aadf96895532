using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.Oracle;

/// <summary>A token's price feed as the vault is told about it (<c>setFeed</c>).</summary>
/// <param name="Token">The token priced.</param>
/// <param name="Aggregator">Its Chainlink-compatible feed (AggregatorV3Interface).</param>
/// <param name="Heartbeat">How old the latest answer may be.</param>
/// <param name="MinAnswer">Smallest answer accepted, in the feed's decimals (&gt; 0).</param>
/// <param name="MaxAnswer">Largest answer accepted, in the feed's decimals.</param>
public sealed record FeedSettings(EthAddress Token, EthAddress Aggregator, TimeSpan Heartbeat, BigInteger MinAnswer, BigInteger MaxAnswer);

/// <summary>
/// Deploys and moves the local chain's price feeds: Chainlink's <c>MockV3Aggregator</c> (npm @chainlink/contracts 1.5.0),
/// one per asset, answering in USD with <see cref="Decimals"/> decimals like Chainlink's USD feeds.
/// </summary>
public sealed class PriceFeeds
{
    /// <summary>Decimals of the local feeds' answers (Chainlink's USD feeds use 8).</summary>
    public const int Decimals = 8;

    private readonly TransactionManager _sender;
    private readonly ContractArtifacts _artifacts;

    /// <summary>Creates the helper; transactions are sent from <paramref name="sender"/>'s account.</summary>
    public PriceFeeds(TransactionManager sender, ContractArtifacts artifacts)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(artifacts);
        _sender = sender;
        _artifacts = artifacts;
    }

    /// <summary>A USD price as a feed answer with <see cref="Decimals"/> decimals (rounded to nearest).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The price is not positive.</exception>
    public static BigInteger ToAnswer(decimal price)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        return new BigInteger(decimal.Round(price * 100_000_000m, MidpointRounding.AwayFromZero));
    }

    /// <summary>A feed answer with <see cref="Decimals"/> decimals as a price.</summary>
    public static decimal FromAnswer(BigInteger answer) => (decimal)answer / 100_000_000m;

    /// <summary>Deploys a mock aggregator answering <paramref name="price"/>; intent id "feed:SYMBOL".</summary>
    public Task<EthAddress> DeployAsync(string symbol, decimal price, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var data = _artifacts.Get(ContractArtifacts.MockV3Aggregator).DeploymentData(new MockV3AggregatorDeployment { Decimals = Decimals, InitialAnswer = ToAnswer(price) });
        return _sender.DeployAsync($"feed:{symbol}", data, cancellationToken);
    }

    /// <summary>Starts a new round answering <paramref name="answer"/> (raw, may be zero or negative) at the next block's time.</summary>
    public Task<ExecutionResult> UpdateAsync(EthAddress feed, BigInteger answer, string intentId, CancellationToken cancellationToken = default) =>
        _sender.SendAsync(intentId, feed, new UpdateAnswerFunction { Answer = answer }, cancellationToken);

    /// <summary>Default vault settings for a local feed: an hour's heartbeat and answers within [price / 100, price × 100].</summary>
    public static FeedSettings LocalSettings(EthAddress token, EthAddress feed, decimal price) =>
        new(token, feed, TimeSpan.FromHours(1), BigInteger.Max(BigInteger.One, ToAnswer(price) / 100), ToAnswer(price) * 100);
}
