using Predictive.Core.Rebalancing.Planning;
using Predictive.Core.Venues;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The swaps of one run as they happen: the double path's as compact rows (bar, assets, amounts; no object and no
/// <c>decimal</c> per swap), the exact path's as the <see cref="BacktestTrade"/> it made. <see cref="Materialize"/>
/// turns the rows into <see cref="BacktestTrade"/> records, in execution order, when the result's trades are first
/// read: the notional, output price and gas are the bar's reference prices and gas, and the cost split is
/// <see cref="LegRules.FeeAndImpact"/>, the arithmetic the double path priced the swap with.
/// </summary>
internal sealed class TradeLog
{
    /// <summary>The asset index that stands for the quote asset.</summary>
    public const int Quote = -1;

    /// <summary>The <see cref="Row.Asset"/> of a swap the exact path made.</summary>
    private const int ExactPath = int.MinValue;

    /// <summary>Rows per chunk: chunks stay below the large-object threshold and are never copied as the log grows.</summary>
    private const int ChunkRows = 2048;

    private readonly BacktestMarket _m;
    private readonly int _start;
    private readonly double _depth;
    private readonly int _feeBps;
    private readonly List<Row[]> _chunks = [];
    private readonly List<BacktestTrade> _exact = [];

    /// <summary>Creates an empty log of a run over <paramref name="market"/> from panel bar <paramref name="start"/>.</summary>
    public TradeLog(BacktestMarket market, int start) =>
        (_m, _start, _depth, _feeBps) = (market, start, (double)market.VenueOptions.FixedDepthQuote, market.CostModel.Options.PoolFeeBps);

    /// <summary>The number of swaps.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// A swap of the double path at the bar's reference price and gas: an asset sold for the quote asset, or
    /// (the quote asset sold) bought with it.
    /// </summary>
    /// <param name="bar">The bar counted from the backtest's start.</param>
    /// <param name="assetIn">Index of the token sold, or <see cref="Quote"/>.</param>
    /// <param name="assetOut">Index of the token bought, or <see cref="Quote"/>.</param>
    /// <param name="amountIn">Tokens sold; what they bought is <see cref="Output"/>'s, the output the double path got.</param>
    public void Add(int bar, int assetIn, int assetOut, double amountIn) =>
        Next() = new Row(bar, assetOut == Quote ? assetIn : ~assetOut, amountIn);

    /// <summary>A swap of the exact path, kept as it is.</summary>
    public void Add(BacktestTrade trade)
    {
        Next() = new Row(trade.Bar, ExactPath, _exact.Count);
        _exact.Add(trade);
    }

    /// <summary>
    /// Applies the double path's swaps <paramref name="from"/> up to <paramref name="to"/> (exclusive) at bar
    /// <paramref name="bar"/> to a holdings row (quantities per asset, then the quote asset), as the double path
    /// carried them out; the exact path's swaps are skipped (their holdings are logged as they are).
    /// </summary>
    /// <returns>The index of the first swap after <paramref name="bar"/> (or <paramref name="to"/>).</returns>
    public int Replay(int from, int to, int bar, Span<double> holdings)
    {
        var cash = holdings.Length - 1;
        var k = from;
        for (; k < to; k++)
        {
            ref readonly var r = ref At(k);
            if (r.Bar != bar)
            {
                break;
            }

            if (r.Asset == ExactPath)
            {
                continue;
            }

            var gas = _m.GasPerSwapQuote(_start + r.Bar);
            if (r.Asset >= 0)
            {
                holdings[r.Asset] -= r.AmountIn;
                holdings[cash] += Output(r) - gas;
            }
            else
            {
                holdings[cash] -= r.AmountIn + gas;
                holdings[~r.Asset] += Output(r);
            }
        }

        return k;
    }

    /// <summary>The bar of swap <paramref name="k"/>.</summary>
    public int BarOf(int k) => At(k).Bar;

    /// <summary>Every swap as a <see cref="BacktestTrade"/>, in execution order.</summary>
    /// <param name="times">Each bar's close (the fills' time).</param>
    public BacktestTrade[] Materialize(IReadOnlyList<DateTimeOffset> times)
    {
        var feeBps = _m.CostModel.Options.PoolFeeBps;
        var trades = new BacktestTrade[Count];
        for (var k = 0; k < Count; k++)
        {
            ref readonly var r = ref At(k);
            if (r.Asset == ExactPath)
            {
                trades[k] = _exact[(int)r.AmountIn];
                continue;
            }

            var t = _start + r.Bar;
            var prices = _m.Prices(t);
            var sell = r.Asset >= 0;
            var asset = sell ? r.Asset : ~r.Asset;
            var notional = sell ? r.AmountIn * prices[asset] : r.AmountIn;
            var amountOut = Output(r);
            var (fee, impact) = LegRules.FeeAndImpact(notional, amountOut, sell ? 1.0 : prices[asset], feeBps);
            trades[k] = new BacktestTrade(
                r.Bar,
                times[r.Bar],
                sell ? _m.Assets[asset] : _m.QuoteAsset,
                sell ? _m.QuoteAsset : _m.Assets[asset],
                (decimal)r.AmountIn,
                (decimal)amountOut,
                (decimal)notional,
                (decimal)fee,
                (decimal)impact,
                (decimal)_m.GasPerSwapQuote(t),
                FillStatus.Filled);
        }

        return trades;
    }

    /// <summary>
    /// What a double-path swap bought: the constant-product output of its input on the bar's fresh pool of fixed depth
    /// (quote depth, and depth / price of the asset), the same arithmetic <see cref="FastRebalancer"/> carried it out
    /// with, so the same number.
    /// </summary>
    private double Output(in Row r)
    {
        var sell = r.Asset >= 0;
        var reserve = _depth / _m.Prices(_start + r.Bar)[sell ? r.Asset : ~r.Asset];
        return sell ? LegRules.AmountOut(r.AmountIn, reserve, _depth, _feeBps) : LegRules.AmountOut(r.AmountIn, _depth, reserve, _feeBps);
    }

    private ref Row At(int k) => ref _chunks[k / ChunkRows][k % ChunkRows];

    private ref Row Next()
    {
        var at = Count % ChunkRows;
        if (at == 0)
        {
            _chunks.Add(new Row[ChunkRows]);
        }

        Count++;
        return ref _chunks[^1][at];
    }

    /// <summary>
    /// One swap in 16 bytes: <see cref="Asset"/> is the asset sold for the quote asset, or its complement (~a, negative)
    /// for one bought with it; <see cref="ExactPath"/> marks the exact path's record, whose index is in <see cref="AmountIn"/>.
    /// The output is not kept: <see cref="Output"/> works it out again when the holdings or trades are read.
    /// </summary>
    private readonly record struct Row(int Bar, int Asset, double AmountIn);
}
