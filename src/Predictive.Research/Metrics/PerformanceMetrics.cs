using Predictive.Core.Backtesting;
using Predictive.Research.Statistics;

namespace Predictive.Research.Metrics;

/// <summary>
/// The statistics of one backtest. Returns are per-bar simple returns of the equity curve (after costs); annualized
/// figures use the panel's bars per year; the risk-free rate is 0.
/// </summary>
/// <param name="Cagr">(E_T / E_0)^(barsPerYear / (T − 1)) − 1.</param>
/// <param name="Volatility">sd(r)·√barsPerYear.</param>
/// <param name="Sharpe">mean(r) / sd(r)·√barsPerYear.</param>
/// <param name="Sortino">mean(r) / √mean(min(r, 0)²)·√barsPerYear.</param>
/// <param name="MaxDrawdown">The largest peak-to-trough loss, a positive fraction.</param>
/// <param name="Calmar">Cagr / MaxDrawdown.</param>
/// <param name="Turnover">Annualized one-way turnover: Σ traded notional / 2 / mean equity, per year.</param>
/// <param name="GasQuote">Gas paid, quote units.</param>
/// <param name="FeeQuote">Pool fees paid, quote units.</param>
/// <param name="ImpactQuote">Price impact paid, quote units.</param>
/// <param name="TrackingError">sd(r − r*)·√barsPerYear, r* the frictionless return of the target.</param>
/// <param name="Trades">Swaps executed.</param>
/// <param name="Rebalances">Bars with a trade.</param>
/// <param name="FinalEquity">The last equity value.</param>
/// <param name="Observations">T − 1, the number of returns.</param>
public sealed record PerformanceMetrics(
    double Cagr,
    double Volatility,
    double Sharpe,
    double Sortino,
    double MaxDrawdown,
    double Calmar,
    double Turnover,
    double GasQuote,
    double FeeQuote,
    double ImpactQuote,
    double TrackingError,
    int Trades,
    int Rebalances,
    double FinalEquity,
    int Observations)
{
    /// <summary>Gas + fee + impact.</summary>
    public double CostsQuote => GasQuote + FeeQuote + ImpactQuote;

    /// <summary>Computes the metrics of a backtest.</summary>
    public static PerformanceMetrics Compute(BacktestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var equity = result.Equity;
        var r = ReturnStatistics.Returns(equity);
        var active = new double[r.Length];
        for (var t = 0; t < r.Length; t++)
        {
            active[t] = r[t] - result.TargetReturns[t + 1];
        }

        double notional = 0, gas = 0, fee = 0, impact = 0;
        foreach (var trade in result.Trades)
        {
            notional += (double)trade.NotionalQuote;
            gas += (double)trade.GasQuote;
            fee += (double)trade.FeeQuote;
            impact += (double)trade.ImpactQuote;
        }

        return FromSeries(equity, active, result.BarsPerYear, notional, gas, fee, impact, result.Trades.Count, result.RebalanceCount);
    }

    /// <summary>
    /// The metrics of consecutive out-of-sample blocks (walk-forward test blocks) traded as one account: each block is
    /// a backtest that starts from cash, and the chained equity curve starts at the first block's
    /// <see cref="BacktestResult.InitialValueQuote"/> and continues each block from the value the previous one ended
    /// with. A block's first return is measured from its starting cash, so the cost of investing it counts (a fresh
    /// block pays its way in); its bar-0 equity, already after that cost, is not a separate point. Trades, notional and
    /// costs are scaled with their block, so turnover is one figure over the whole chain.
    /// </summary>
    /// <exception cref="ArgumentException">There is no block, a block has fewer than 2 bars, or the blocks' bars per year differ.</exception>
    public static PerformanceMetrics Chain(IReadOnlyList<BacktestResult> blocks)
    {
        var equity = ChainedEquity(blocks);
        var barsPerYear = blocks[0].BarsPerYear;
        var active = new List<double>(equity.Length - 1);
        double notional = 0, gas = 0, fee = 0, impact = 0;
        int trades = 0, rebalances = 0, at = 0;
        foreach (var b in blocks)
        {
            var scale = equity[at] / (double)b.InitialValueQuote;
            for (var t = 1; t < b.BarCount; t++)
            {
                at++;
                active.Add((equity[at] / equity[at - 1]) - 1 - b.TargetReturns[t]);
            }

            foreach (var trade in b.Trades)
            {
                notional += (double)trade.NotionalQuote * scale;
                gas += (double)trade.GasQuote * scale;
                fee += (double)trade.FeeQuote * scale;
                impact += (double)trade.ImpactQuote * scale;
            }

            trades += b.Trades.Count;
            rebalances += b.RebalanceCount;
        }

        return FromSeries(equity, [.. active], barsPerYear, notional, gas, fee, impact, trades, rebalances);
    }

    /// <summary>
    /// The equity curve of <see cref="Chain"/>: the first block's starting cash, then every block's bars after its first,
    /// each block scaled to continue from the value the previous one ended with. Its returns
    /// (<see cref="ReturnStatistics.Returns"/>) are the series whose Sharpe ratio <see cref="Chain"/> reports.
    /// </summary>
    /// <exception cref="ArgumentException">There is no block, a block has fewer than 2 bars, or the blocks' bars per year differ.</exception>
    public static double[] ChainedEquity(IReadOnlyList<BacktestResult> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            throw new ArgumentException("Chaining needs at least one block.", nameof(blocks));
        }

        var barsPerYear = blocks[0].BarsPerYear;
        var equity = new List<double> { (double)blocks[0].InitialValueQuote };
        foreach (var b in blocks)
        {
            if (b.BarCount < 2 || b.BarsPerYear != barsPerYear)
            {
                throw new ArgumentException($"Block {b.Allocator} × {b.Policy} has {b.BarCount} bars at {b.BarsPerYear} bars per year; chained blocks need at least 2 bars each and the same interval ({barsPerYear}).", nameof(blocks));
            }

            var scale = equity[^1] / (double)b.InitialValueQuote;
            for (var t = 1; t < b.BarCount; t++)
            {
                equity.Add(b.Equity[t] * scale);
            }
        }

        return [.. equity];
    }

    /// <summary>
    /// The metrics under the names <c>compare --json</c> uses for them (<c>StrategyScore</c>), rounded to 6 decimals;
    /// non-finite values (a Calmar without drawdown) are left out.
    /// </summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var all = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["sharpe"] = Sharpe,
            ["sortino"] = Sortino,
            ["cagr"] = Cagr,
            ["volatility"] = Volatility,
            ["max_drawdown"] = MaxDrawdown,
            ["calmar"] = Calmar,
            ["turnover"] = Turnover,
            ["costs"] = CostsQuote,
            ["costs_gas"] = GasQuote,
            ["costs_fee"] = FeeQuote,
            ["costs_impact"] = ImpactQuote,
            ["tracking_error"] = TrackingError,
            ["trades"] = Trades,
            ["rebalances"] = Rebalances,
            ["final_equity"] = FinalEquity,
            ["observations"] = Observations,
        };
        return new SortedDictionary<string, double>(all.Where(p => double.IsFinite(p.Value)).ToDictionary(p => p.Key, p => Math.Round(p.Value, 6)), StringComparer.Ordinal);
    }

    /// <summary><see cref="ToDictionary"/> as a JSON object (the model metadata format).</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(ToDictionary());

    /// <summary>Computes the metrics from an equity curve and the per-bar active returns (r − r*).</summary>
    public static PerformanceMetrics FromSeries(ReadOnlySpan<double> equity, ReadOnlySpan<double> activeReturns, double barsPerYear, double notionalQuote, double gasQuote, double feeQuote, double impactQuote, int trades, int rebalances)
    {
        if (equity.Length < 2)
        {
            throw new ArgumentException($"Metrics need at least 2 equity values; got {equity.Length}.", nameof(equity));
        }

        var r = ReturnStatistics.Returns(equity);
        var scale = Math.Sqrt(barsPerYear);
        var years = r.Length / barsPerYear;
        var cagr = equity[^1] > 0 ? Math.Pow(equity[^1] / equity[0], 1 / years) - 1 : -1;
        var maxDd = ReturnStatistics.MaxDrawdown(equity);
        var meanEquity = ReturnStatistics.Mean(equity);
        return new PerformanceMetrics(
            cagr,
            ReturnStatistics.StdDev(r) * scale,
            ReturnStatistics.Sharpe(r) * scale,
            ReturnStatistics.Sortino(r) * scale,
            maxDd,
            maxDd > 0 ? cagr / maxDd : double.NaN,
            notionalQuote / 2 / meanEquity / years,
            gasQuote,
            feeQuote,
            impactQuote,
            ReturnStatistics.StdDev(activeReturns) * scale,
            trades,
            rebalances,
            equity[^1],
            r.Length);
    }
}
