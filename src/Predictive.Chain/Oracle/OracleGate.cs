using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Predictive.Chain.Crypto;
using Predictive.Chain.Rpc;

namespace Predictive.Chain.Oracle;

/// <summary>Limits of <see cref="OracleGate"/>.</summary>
public sealed record OracleGateOptions
{
    /// <summary>How old a feed's latest answer may be. The default value is one hour (the vault's heartbeat on the local chain).</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The window of the TWAP, the liquidity drop and the feed's move. The default value is 30 minutes.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest |feed / TWAP − 1|, in basis points. The default value is 200.</summary>
    [Range(0.0, 10_000.0, ErrorMessage = "MaxTwapDeviationBps must be in [0, 10000] basis points.")]
    public double MaxTwapDeviationBps { get; init; } = SlippageBudget.DeviationToleranceBps;

    /// <summary>Largest |pool mid price / feed − 1|, in basis points (the price-deviation guard's tolerance). The default value is 200.</summary>
    [Range(0.0, 10_000.0, ErrorMessage = "MaxPoolDeviationBps must be in [0, 10000] basis points.")]
    public double MaxPoolDeviationBps { get; init; } = SlippageBudget.DeviationToleranceBps;

    /// <summary>Largest fall of a pool's liquidity (quote reserve × 2) over the window, as a fraction. The default value is 0.5.</summary>
    [Range(0.0, 1.0, ErrorMessage = "MaxLiquidityDrop must be in [0, 1].")]
    public double MaxLiquidityDrop { get; init; } = 0.5;

    /// <summary>Largest |feed now / feed at the window's start − 1| (a flash crash or spike), as a fraction. The default value is 0.2.</summary>
    [Range(0.0, 10.0, ErrorMessage = "MaxFeedMove must be in [0, 10].")]
    public double MaxFeedMove { get; init; } = 0.2;
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
/// <param name="Check">unanswered-round, non-positive, out-of-range, stale, twap-deviation, pool-deviation, liquidity-drought or feed-move.</param>
/// <param name="Reason">A sentence with the numbers.</param>
public sealed record OracleRefusal(string Symbol, EthAddress Feed, string Check, string Reason);

/// <summary>The gate's answer: reference prices in quote units when every check passed, else the refusals (no trade).</summary>
/// <param name="Time">The latest block's time.</param>
/// <param name="Prices">Feed prices in quote units per asset (those read).</param>
/// <param name="Refusals">Every failed check; empty means trade.</param>
public sealed record OracleDecision(DateTimeOffset Time, IReadOnlyDictionary<string, decimal> Prices, IReadOnlyList<OracleRefusal> Refusals)
{
    /// <summary>True when no check failed.</summary>
    public bool Trade => Refusals.Count == 0;

    /// <summary>The refusals as one line ("" when trading).</summary>
    public string Reason => string.Join(" ", Refusals.Select(r => r.Reason));
}

/// <summary>
/// Off-chain oracle hygiene before a rebalance: every feed (the quote token's and each asset's) must have an answered
/// round, a positive answer within its range and an update within the heartbeat; each asset's feed must agree with the
/// Uniswap V2 TWAP of its pair over the window and with the pool's mid price, its pool must not have lost more than a set
/// share of its liquidity over the window, and its feed must not have moved more than a set fraction over the window.
/// A pool or feed younger than the window is measured from the latest block (no history yet: TWAP = spot, no drop, no move).
/// Any failure means no trade, with a reason naming the feed and the check.
/// </summary>
public sealed class OracleGate
{
    private readonly OracleReads _reads;
    private readonly OracleGateOptions _options;

    /// <summary>Creates the gate.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public OracleGate(EvmRpcClient client, OracleGateOptions? options = null)
    {
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
        var startBlock = BlockTag.Number(await _reads.BlockAtAsync(latest - _options.Window, cancellationToken).ConfigureAwait(false));
        var refusals = new List<OracleRefusal>();
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var quoteRound = await _reads.LatestRoundAsync(quote.Feed, cancellationToken: cancellationToken).ConfigureAwait(false);
        var quoteOk = CheckRound(quote, quoteRound, latest, refusals);
        foreach (var asset in assets)
        {
            var round = await _reads.LatestRoundAsync(asset.Feed, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!CheckRound(asset, round, latest, refusals) || !quoteOk)
            {
                continue;
            }

            var feedPrice = round.Price / quoteRound.Price;
            prices[asset.Symbol] = feedPrice;
            var now = await _reads.ObserveAsync(asset.Pool, asset.Token, cancellationToken: cancellationToken).ConfigureAwait(false);
            // A pool younger than the window is measured from its first state seen at the latest block (TWAP = spot).
            var then = await _reads.TryObserveAsync(asset.Pool, asset.Token, startBlock, cancellationToken).ConfigureAwait(false) ?? now;
            var twap = OracleReads.Twap(then, now, asset.Decimals, quoteDecimals);
            var poolMid = OracleReads.Twap(now, now, asset.Decimals, quoteDecimals);
            var twapBps = Bps(feedPrice, twap);
            if (twapBps > _options.MaxTwapDeviationBps)
            {
                refusals.Add(Refuse(asset, "twap-deviation", $"feed {feedPrice:G6} vs the pool's {_options.Window.TotalMinutes:G4}-minute TWAP {twap:G6}: {twapBps:F0} bps > {_options.MaxTwapDeviationBps:F0}."));
            }

            var poolBps = Bps(poolMid, feedPrice);
            if (poolBps > _options.MaxPoolDeviationBps)
            {
                refusals.Add(Refuse(asset, "pool-deviation", $"pool {asset.Pool} mid price {poolMid:G6} vs feed {feedPrice:G6}: {poolBps:F0} bps > {_options.MaxPoolDeviationBps:F0} (manipulated or stale pool)."));
            }

            var drop = then.QuoteReserve.IsZero ? 0 : 1 - ((double)now.QuoteReserve / (double)then.QuoteReserve);
            if (drop > _options.MaxLiquidityDrop)
            {
                refusals.Add(Refuse(asset, "liquidity-drought", $"pool {asset.Pool} lost {drop:P1} of its liquidity within {_options.Window.TotalMinutes:G4} minutes (limit {_options.MaxLiquidityDrop:P0})."));
            }

            var before = await _reads.TryLatestRoundAsync(asset.Feed, startBlock, cancellationToken).ConfigureAwait(false) ?? round;
            var move = before.Answer.Sign > 0 ? (double)(round.Price / before.Price) - 1 : 0;
            if (Math.Abs(move) > _options.MaxFeedMove)
            {
                refusals.Add(Refuse(asset, "feed-move", $"feed moved {move:+0.0%;-0.0%} within {_options.Window.TotalMinutes:G4} minutes ({before.Price:G6} → {round.Price:G6}; limit ±{_options.MaxFeedMove:P0})."));
            }
        }

        return new OracleDecision(latest, prices, refusals);
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
