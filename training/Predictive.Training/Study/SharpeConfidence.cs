using Predictive.Research.Statistics;

namespace Predictive.Training.Study;

/// <summary>A two-sided confidence interval.</summary>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
public sealed record ConfidenceInterval(double Low, double High);

/// <summary>
/// Bootstrap confidence intervals of a strategy's annualized Sharpe ratio on each fold's test block and on the blocks
/// chained, and of its margin over a benchmark on the same bars (a paired bootstrap, so the market both share cancels).
/// </summary>
/// <param name="Folds">Each fold's Sharpe interval.</param>
/// <param name="Overall">The chained blocks' Sharpe interval.</param>
/// <param name="MarginFolds">Each fold's interval of Sharpe − benchmark Sharpe; null without a benchmark.</param>
/// <param name="MarginOverall">The chained blocks' margin interval; null without a benchmark.</param>
public sealed record SharpeConfidence(IReadOnlyList<ConfidenceInterval> Folds, ConfidenceInterval Overall, IReadOnlyList<ConfidenceInterval>? MarginFolds, ConfidenceInterval? MarginOverall)
{
    /// <summary>The confidence level of every interval.</summary>
    public const double Level = 0.95;

    /// <summary>Resamples per interval.</summary>
    public const int Resamples = 1_000;

    /// <summary>The bootstrap's seed: the same returns always give the same intervals.</summary>
    public const int Seed = 42;

    /// <summary>
    /// The intervals of <paramref name="foldReturns"/> (per-bar net returns of each fold's block), with the stationary
    /// bootstrap (<see cref="StationaryBootstrap"/>, mean block length ⌈T^⅓⌉ of each series, <see cref="Resamples"/>
    /// resamples, seed <see cref="Seed"/>, percentile intervals at <see cref="Level"/>).
    /// </summary>
    /// <param name="foldReturns">The strategy's returns per fold.</param>
    /// <param name="benchmarkFoldReturns">The benchmark's returns on the same bars, or null.</param>
    /// <param name="barsPerYear">Annualization.</param>
    /// <exception cref="ArgumentException">No fold, or a benchmark fold of another length.</exception>
    public static SharpeConfidence Compute(IReadOnlyList<double[]> foldReturns, IReadOnlyList<double[]>? benchmarkFoldReturns, double barsPerYear)
    {
        ArgumentNullException.ThrowIfNull(foldReturns);
        if (foldReturns.Count == 0 || (benchmarkFoldReturns is not null && benchmarkFoldReturns.Count != foldReturns.Count))
        {
            throw new ArgumentException($"confidence intervals need at least one fold and a benchmark with as many; got {foldReturns.Count} and {benchmarkFoldReturns?.Count}.", nameof(foldReturns));
        }

        var folds = foldReturns.Select(r => Sharpe(r, barsPerYear)).ToList();
        var all = foldReturns.SelectMany(r => r).ToArray();
        if (benchmarkFoldReturns is null)
        {
            return new SharpeConfidence(folds, Sharpe(all, barsPerYear), null, null);
        }

        var margins = foldReturns.Select((r, f) => Margin(r, benchmarkFoldReturns[f], barsPerYear)).ToList();
        return new SharpeConfidence(folds, Sharpe(all, barsPerYear), margins, Margin(all, [.. benchmarkFoldReturns.SelectMany(r => r)], barsPerYear));
    }

    private static ConfidenceInterval Sharpe(double[] returns, double barsPerYear)
    {
        var (low, high) = Bootstrap(returns.Length).SharpeInterval(returns, barsPerYear, Level);
        return new ConfidenceInterval(low, high);
    }

    private static ConfidenceInterval Margin(double[] returns, double[] benchmark, double barsPerYear)
    {
        var (low, high) = Bootstrap(returns.Length).SharpeDifferenceInterval(returns, benchmark, barsPerYear, Level);
        return new ConfidenceInterval(low, high);
    }

    private static StationaryBootstrap Bootstrap(int length) => new(StationaryBootstrap.DefaultBlockLength(length), Resamples, Seed);
}
