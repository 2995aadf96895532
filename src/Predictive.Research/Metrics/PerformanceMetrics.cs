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
