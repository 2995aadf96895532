using System.Numerics;
using Predictive.Chain.Contracts;
using Predictive.Chain.Crypto;
using Predictive.Chain.Oracle;
using Predictive.Chain.Transactions;

namespace Predictive.Chain.LocalChain;

/// <summary>
/// Moves a local chain to the next bar's prices: each asset's pool is traded by the deployer (dev account 0, which mints
/// the test tokens it sells) until its mid price is the bar's close, then its feed answers that close and the quote
/// token's feed answers 1 again, so feeds stay fresh and pools agree with them.
/// </summary>
public sealed class LocalChainAdvancer
{
    private readonly TransactionManager _deployer;
    private readonly LocalChainManifest _manifest;
    private readonly OracleReads _reads;
    private readonly PriceFeeds _feeds;

    /// <summary>Creates the advancer; <paramref name="deployer"/> must send from the account that deployed the chain.</summary>
    public LocalChainAdvancer(TransactionManager deployer, ContractArtifacts artifacts, LocalChainManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(deployer);
        ArgumentNullException.ThrowIfNull(manifest);
        _deployer = deployer;
        _manifest = manifest;
        _reads = new OracleReads(deployer.Client);
        _feeds = new PriceFeeds(deployer, artifacts);
    }

    /// <summary>
    /// Moves every asset named in <paramref name="prices"/> (quote units per asset) to its price; <paramref name="step"/>
    /// makes the intent ids of this bar unique (e.g. the bar's index). Then chain time moves on by <paramref name="settle"/>
    /// (anvil's evm_increaseTime and one mined block), so that pools and feeds have held the bar's prices that long: with
    /// more than the oracle gate's window and less than the feeds' heartbeat, the next rebalance sees a settled market.
    /// </summary>
    /// <exception cref="ArgumentException">A symbol is unknown or a price is not positive.</exception>
    public async Task AdvanceAsync(string step, IReadOnlyDictionary<string, decimal> prices, TimeSpan settle, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settle, TimeSpan.Zero);
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        ArgumentNullException.ThrowIfNull(prices);
        var quote = EthAddress.Parse(_manifest.QuoteToken.Address);
        var router = EthAddress.Parse(_manifest.Router);
        foreach (var (symbol, price) in prices)
        {
            var asset = _manifest.Assets.FirstOrDefault(a => a.Symbol == symbol)
                ?? throw new ArgumentException($"Asset '{symbol}' is not on this chain ({string.Join(", ", _manifest.Assets.Select(a => a.Symbol))}).", nameof(prices));
            if (!(price > 0))
            {
                throw new ArgumentException($"The price of {symbol} must be positive; got {price}.", nameof(prices));
            }

            var token = EthAddress.Parse(asset.Address);
            var pool = EthAddress.Parse(asset.Pool ?? throw new ArgumentException($"Asset '{symbol}' has no pool.", nameof(prices)));
            var now = await _reads.ObserveAsync(pool, token, cancellationToken: cancellationToken).ConfigureAwait(false);
            var (tokenIn, tokenOut, amountIn) = TradeToPrice(now, token, quote, price, asset.Decimals, _manifest.QuoteToken.Decimals);
            var id = $"advance:{step}:{symbol}";
            if (amountIn.Sign > 0)
            {
                await _deployer.SendAsync(id + ":mint", tokenIn, new MintFunction { To = _deployer.Account.ToString(), Amount = amountIn }, cancellationToken).ConfigureAwait(false);
                await _deployer.SendAsync(id + ":approve", tokenIn, new ApproveFunction { Spender = router.ToString(), Amount = amountIn }, cancellationToken).ConfigureAwait(false);
                var deadline = await _deployer.Client.DeadlineAsync(TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
                await _deployer.SendAsync(id + ":swap", router, new SwapExactTokensForTokensFunction
                {
                    AmountIn = amountIn, AmountOutMin = BigInteger.Zero, Path = [tokenIn.ToString(), tokenOut.ToString()], To = _deployer.Account.ToString(), Deadline = deadline,
                }, cancellationToken).ConfigureAwait(false);
            }

            if (asset.Feed is { } feed)
            {
                await _feeds.UpdateAsync(EthAddress.Parse(feed), PriceFeeds.ToAnswer(price), id + ":feed", cancellationToken).ConfigureAwait(false);
            }
        }

        if (_manifest.QuoteToken.Feed is { } quoteFeed)
        {
            await _feeds.UpdateAsync(EthAddress.Parse(quoteFeed), PriceFeeds.ToAnswer(1m), $"advance:{step}:{_manifest.QuoteToken.Symbol}:feed", cancellationToken).ConfigureAwait(false);
        }

        if (settle > TimeSpan.Zero)
        {
            await _deployer.Client.RequestAsync("evm_increaseTime", [(long)settle.TotalSeconds], cancellationToken).ConfigureAwait(false);
            await _deployer.Client.RequestAsync("evm_mine", [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The swap that takes a Uniswap V2 pool to mid price <paramref name="price"/> exactly (to a base unit). The whole input
    /// x enters the input reserve while the output is priced on 0.997·x, so after the swap
    /// Rin'·Rout' = Rin·Rout·(Rin + x)·1000 / (1000·Rin + 997·x); setting the new mid price to the target gives
    /// 997·x² + 1997·Rin·x + 1000·Rin² − 1000·T = 0, with T = p·Ra·Rq when buying the asset with quote (p above the pool's)
    /// and T = Ra·Rq / p when selling it, p in base units. Solved exactly with integer square roots.
    /// </summary>
    public static (EthAddress TokenIn, EthAddress TokenOut, BigInteger AmountIn) TradeToPrice(
        PairObservation pool, EthAddress asset, EthAddress quote, decimal price, int assetDecimals, int quoteDecimals)
    {
        ArgumentNullException.ThrowIfNull(pool);
        // p = quote base units per asset base unit = pNum / pDen.
        var (num, den) = Fraction(price);
        var pNum = num * BigInteger.Pow(10, quoteDecimals);
        var pDen = den * BigInteger.Pow(10, assetDecimals);
        var (ra, rq) = (pool.AssetReserve, pool.QuoteReserve);
        var buy = pNum * ra > rq * pDen;
        var (rin, tNum, tDen) = buy ? (rq, pNum * ra * rq, pDen) : (ra, ra * rq * pDen, pNum);
        var a = 997 * tDen;
        var b = 1997 * rin * tDen;
        var c = (1000 * rin * rin * tDen) - (1000 * tNum);
        var amountIn = c.Sign >= 0 ? BigInteger.Zero : (Sqrt((b * b) - (4 * a * c)) - b) / (2 * a);
        return buy ? (quote, asset, amountIn) : (asset, quote, amountIn);
    }

    private static (BigInteger Numerator, BigInteger Denominator) Fraction(decimal value)
    {
        var bits = decimal.GetBits(value);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return (mantissa, BigInteger.Pow(10, scale));
    }

    private static BigInteger Sqrt(BigInteger n)
    {
        if (n.Sign <= 0)
        {
            return BigInteger.Zero;
        }

        // Newton's method from above: x ← (x + n/x) / 2 decreases to ⌊√n⌋.
        var x = BigInteger.One << (int)((n.GetBitLength() / 2) + 1);
        while (true)
        {
            var next = (x + (n / x)) / 2;
            if (next >= x)
            {
                break;
            }

            x = next;
        }

        return x;
    }
}
