using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Oracle;

/// <summary>Limits of <see cref="OracleGate"/>.</summary>
public sealed record OracleGateOptions
{
    /// <summary>How old a feed's latest answer may be. The default value is one hour (the vault's heartbeat on the local chain).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The window of the TWAP. The default value is 30 minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest |feed / TWAP − 1|, in basis points. The default value is 200.</summary>
    [Range(0.0, 10_000.0, ErrorMessage = "MaxTwapDeviationBps must be in [0, 10000] basis points.")]
    public double MaxTwapDeviationBps { get; init; } = SlippageBudget.DeviationToleranceBps;
}

/// <summary>One asset the gate checks.</summary>
/// <param name="Symbol">Its symbol.</param>
/// <param name="Token">Its token.</param>
/// <param name="Decimals">Its token's decimals.</param>
/// <param name="Feed">Its USD feed.</param>
/// <param name="Pool">Its asset/quote pair.</param>
/// <param name="MinPrice">Smallest feed answer accepted, as a price.</param>
/// <param name="MaxPrice">Largest feed answer accepted, as a price.</param>
public sealed record OracleAsset(string Symbol, EthAddress Token, int Decimals, EthAddress Feed, EthAddress Pool, decimal MinPrice, decimal MaxPrice);

/// <summary>A refusal: which feed failed which check, and why.</summary>
/// <param name="Symbol">The asset (or quote token) whose feed failed.</param>
/// <param name="Feed">The feed.</param>
/// <param name="Check">unanswered-round, non-positive, out-of-range, stale or twap-deviation.</param>
/// <param name="Reason">A sentence with the numbers.</param>
public sealed record OracleRefusal(string Symbol, EthAddress Feed, string Check, string Reason);

/// <summary>The gate's answer: reference prices in quote units, and the refusals (none means trade).</summary>
/// <param name="Time">The latest block's time.</param>
/// <param name="Prices">Feed prices in quote units of every asset whose feed and the quote token's feed answer a positive number, refused or not (for valuing holdings).</param>
/// <param name="Refusals">Every failed check; empty means trade.</param>
public sealed record OracleDecision(DateTimeOffset Time, IReadOnlyDictionary<string, decimal> Prices, IReadOnlyList<OracleRefusal> Refusals)
{
    /// <summary>True when no check failed.</summary>
    public bool Trade => Refusals.Count == 0;

    /// <summary>The refusals as one line ("" when trading).</summary>
    public string Reason => string.Join(" ", Refusals.Select(r => r.Reason));
}

/// <summary>
/// Off-chain oracle hygiene, the checks only the oracle can make: every feed (the quote token's and each asset's) must
/// have an answered round, a positive answer within its range and an update within the heartbeat, and each asset's feed
/// must agree with the Uniswap V2 TWAP of its pair over the window (a pool younger than the window has no TWAP yet and
/// is not compared). Any failure means no trade, with a reason naming the feed and the check. Manipulated
/// pools, liquidity droughts and flash crashes are the composition's guards' job (<c>PriceDeviationGuard</c>,
/// <c>LiquidityGuard</c>, <c>VolatilityCircuitBreaker</c> on these prices); <see cref="OracleReferencePrices"/> hands this
/// gate's refusals to the composition as faults of the reference prices.
/// </summary>
public sealed class OracleGate
{
    private readonly EvmRpcClient _client;
    private readonly OracleReads _reads;
    private readonly OracleGateOptions _options;

    /// <summary>Creates the gate.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public OracleGate(EvmRpcClient client, OracleGateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _reads = new OracleReads(client);
        _options = options ?? new OracleGateOptions();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(_options, new ValidationContext(_options), results, validateAllProperties: true))
        {
            throw new ArgumentException(string.Join(" ", results.Select(r => r.ErrorMessage)), nameof(options));
        }

        if (_options.Heartbeat <= TimeSpan.Zero || _options.Window <= TimeSpan.Zero)
        {
            throw new ArgumentException("Heartbeat and Window must be positive.", nameof(options));
        }
    }

    /// <summary>Checks the quote token's feed and every asset's feed and pool at the latest block.</summary>
    public async Task<OracleDecision> CheckAsync(
        OracleAsset quote, IReadOnlyList<OracleAsset> assets, int quoteDecimals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(assets);
        var latest = await _reads.ObserveBlockTimeAsync(cancellationToken).ConfigureAwait(false);
        var startBlock = BlockTag.Number(await OldestServedAsync(await _reads.BlockAtAsync(latest - _options.Window, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false));
        var refusals = new List<OracleRefusal>();
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var quoteRound = await _reads.LatestRoundAsync(quote.Feed, cancellationToken: cancellationToken).ConfigureAwait(false);
        var quoteOk = CheckRound(quote, quoteRound, latest, refusals);
        foreach (var asset in assets)
        {
            var round = await _reads.LatestRoundAsync(asset.Feed, cancellationToken: cancellationToken).ConfigureAwait(false);
            var ok = CheckRound(asset, round, latest, refusals);
            if (round.Answer.Sign <= 0 || quoteRound.Answer.Sign <= 0)
            {
                continue;
            }

            var feedPrice = round.Price / quoteRound.Price;
            prices[asset.Symbol] = feedPrice;
            if (!ok || !quoteOk)
            {
                continue;
            }

            // A pool younger than the window has no TWAP over it yet; its spot price is the price-deviation guard's to judge.
            if (await _reads.TryObserveAsync(asset.Pool, asset.Token, startBlock, cancellationToken).ConfigureAwait(false) is not { } then)
            {
                continue;
            }

            var now = await _reads.ObserveAsync(asset.Pool, asset.Token, cancellationToken: cancellationToken).ConfigureAwait(false);
            var twap = OracleReads.Twap(then, now, asset.Decimals, quoteDecimals);
            var twapBps = Bps(feedPrice, twap);
            if (twapBps > _options.MaxTwapDeviationBps)
            {
                refusals.Add(Refuse(asset, "twap-deviation", $"feed {feedPrice:G6} vs the pool's {(now.Time - then.Time).TotalMinutes:G4}-minute TWAP {twap:G6}: {twapBps:F0} bps > {_options.MaxTwapDeviationBps:F0}."));
            }
        }

        return new OracleDecision(latest, prices, refusals);
    }

    /// <summary>
    /// <paramref name="block"/>, or the oldest later block whose state the node still serves: a pruned node (anvil with
    /// <c>--max-persisted-states 0</c>, a full node without archive) keeps only recent states, and the TWAP then covers
    /// the part of the window it can see (the refusal names its real length).
    /// </summary>
    private async Task<BigInteger> OldestServedAsync(BigInteger block, CancellationToken cancellationToken)
    {
        if (await ServesAsync(block, cancellationToken).ConfigureAwait(false))
        {
            return block;
        }

        var (low, high) = (block + 1, await _client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false));
        while (low < high)
        {
            var middle = (low + high) / 2;
            (low, high) = await ServesAsync(middle, cancellationToken).ConfigureAwait(false) ? (low, middle) : (middle + 1, high);
        }

        return low;
    }

    private async Task<bool> ServesAsync(BigInteger block, CancellationToken cancellationToken)
    {
        try
        {
            await _client.GetBalanceAsync(EthAddress.Zero, BlockTag.Number(block), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RpcErrorException)
        {
            return false;
        }
    }

    private bool CheckRound(OracleAsset asset, FeedRound round, DateTimeOffset now, List<OracleRefusal> refusals)
    {
        var count = refusals.Count;
        if (round.AnsweredInRound < round.RoundId)
        {
            refusals.Add(Refuse(asset, "unanswered-round", $"round {round.RoundId} is unanswered (answeredInRound {round.AnsweredInRound})."));
        }
        else if (round.Answer.Sign <= 0)
        {
            refusals.Add(Refuse(asset, "non-positive", $"answer {round.Answer} is not positive."));
        }
        else if (round.Price < asset.MinPrice || round.Price > asset.MaxPrice)
        {
            refusals.Add(Refuse(asset, "out-of-range", $"answer {round.Price:G6} is outside [{asset.MinPrice:G6}, {asset.MaxPrice:G6}]."));
        }
        else if (round.UpdatedAt > now || now - round.UpdatedAt > _options.Heartbeat)
        {
            refusals.Add(Refuse(asset, "stale", $"updated at {round.UpdatedAt:O}, {(now - round.UpdatedAt).TotalSeconds:F0} s before the latest block; heartbeat {_options.Heartbeat.TotalSeconds:F0} s."));
        }

        return refusals.Count == count;
    }

    private static OracleRefusal Refuse(OracleAsset asset, string check, FormattableString detail) =>
        new(asset.Symbol, asset.Feed, check, $"{asset.Symbol} feed {asset.Feed} {check}: {detail.ToString(CultureInfo.InvariantCulture)}");

    private static double Bps(decimal a, decimal b) => b == 0 ? double.PositiveInfinity : Math.Abs((double)(a / b) - 1) * 10_000;
}
