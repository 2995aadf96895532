using System.Globalization;
using System.Text.Json;

namespace Predictive.Training.Evaluation;

/// <summary>Out-of-sample statistics of a policy's net-of-cost returns.</summary>
/// <param name="Periods">The number of periods.</param>
/// <param name="Sharpe">Annualized Sharpe ratio of net returns (mean / standard deviation × √bars per year, zero risk-free rate).</param>
/// <param name="AnnualizedReturn">Mean net return per period × bars per year.</param>
/// <param name="AnnualizedVolatility">Standard deviation of net returns × √bars per year.</param>
/// <param name="Turnover">Mean Σ|w_t − held_t| per period (a full switch between two assets counts 2).</param>
/// <param name="MaxDrawdown">Largest peak-to-trough loss of compounded net wealth, as a positive fraction.</param>
/// <param name="TotalCost">Sum of costs paid, as a fraction of wealth per period.</param>
public sealed record PerformanceMetrics(int Periods, double Sharpe, double AnnualizedReturn, double AnnualizedVolatility, double Turnover, double MaxDrawdown, double TotalCost)
{
    /// <summary>Computes the statistics from per-period net returns, turnovers and costs.</summary>
    public static PerformanceMetrics From(ReadOnlySpan<double> netReturns, ReadOnlySpan<double> turnover, ReadOnlySpan<double> costs, double barsPerYear)
    {
        var n = netReturns.Length;
        if (n == 0)
        {
            return new PerformanceMetrics(0, 0, 0, 0, 0, 0, 0);
        }

        double mean = 0;
        foreach (var r in netReturns)
        {
            mean += r;
        }

        mean /= n;
        double variance = 0;
        foreach (var r in netReturns)
        {
            variance += (r - mean) * (r - mean);
        }

        var sd = n > 1 ? Math.Sqrt(variance / (n - 1)) : 0;
        double wealth = 1, peak = 1, maxDrawdown = 0;
        foreach (var r in netReturns)
        {
            wealth *= 1 + r;
            peak = Math.Max(peak, wealth);
            maxDrawdown = Math.Max(maxDrawdown, 1 - (wealth / peak));
        }

        double turn = 0, cost = 0;
        foreach (var x in turnover)
        {
            turn += x;
        }

        foreach (var c in costs)
        {
            cost += c;
        }

        var sharpe = sd > 0 ? mean / sd * Math.Sqrt(barsPerYear) : 0;
        return new PerformanceMetrics(n, sharpe, mean * barsPerYear, sd * Math.Sqrt(barsPerYear), turnover.Length > 0 ? turn / turnover.Length : 0, maxDrawdown, cost);
    }

    /// <summary>The metrics as a JSON object of snake_case name → number (the model metadata format).</summary>
    public string ToJson() => JsonSerializer.Serialize(ToDictionary());

    /// <summary>The metrics as name → number, with snake_case names.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary() => new SortedDictionary<string, double>(StringComparer.Ordinal)
    {
        ["periods"] = Periods,
        ["sharpe"] = Round(Sharpe),
        ["annualized_return"] = Round(AnnualizedReturn),
        ["annualized_volatility"] = Round(AnnualizedVolatility),
        ["turnover"] = Round(Turnover),
        ["max_drawdown"] = Round(MaxDrawdown),
        ["total_cost"] = Round(TotalCost),
    };

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"sharpe {Sharpe:F3}, return {AnnualizedReturn:P1}/y, vol {AnnualizedVolatility:P1}, turnover {Turnover:F4}, max drawdown {MaxDrawdown:P1}, {Periods} periods");

    private static double Round(double x) => double.IsFinite(x) ? Math.Round(x, 6) : 0;
}
