using System.Globalization;

namespace Predictive.Research.Comparison;

/// <summary>
/// What one strategy held over its backtest: average and final weights per asset, concentration (effective number of
/// assets, 1 / Σw², and the largest single weight) and turnover.
/// </summary>
/// <param name="Label">The strategy, <c>allocator × policy</c>.</param>
/// <param name="Assets">The traded assets, in the backtest's order.</param>
/// <param name="AverageWeights">Each asset's held weight averaged over every backtest bar.</param>
/// <param name="FinalWeights">The weights held at the last bar.</param>
/// <param name="AverageEffectiveN">The mean of <see cref="EffectiveN"/> over the bars with anything invested (1 when all in one asset, n when equal).</param>
/// <param name="FinalEffectiveN"><see cref="EffectiveN"/> of the final weights.</param>
/// <param name="LargestWeight">The largest weight any asset had at any bar.</param>
/// <param name="Turnover">Annualized one-way turnover (as on the leaderboard).</param>
public sealed record StrategyHoldings(
    string Label,
    IReadOnlyList<string> Assets,
    IReadOnlyList<double> AverageWeights,
    IReadOnlyList<double> FinalWeights,
    double AverageEffectiveN,
    double FinalEffectiveN,
    double LargestWeight,
    double Turnover)
{
    /// <summary>Summarizes <paramref name="run"/>'s held weights.</summary>
    /// <exception cref="ArgumentException">The run has no bars.</exception>
    public static StrategyHoldings From(StrategyRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var result = run.Result;
        var n = result.Assets.Count;
        if (result.BarCount == 0 || n == 0)
        {
            throw new ArgumentException($"the run {LabelOf(run)} has no bars or no assets.", nameof(run));
        }

        var average = new double[n];
        var effectiveSum = 0.0;
        var investedBars = 0;
        var largest = 0.0;
        for (var t = 0; t < result.BarCount; t++)
        {
            var w = result.WeightsAt(t);
            for (var a = 0; a < n; a++)
            {
                average[a] += w[a] / result.BarCount;
                largest = Math.Max(largest, w[a]);
            }

            // A bar held entirely in the quote asset (before the first trade) has no effective number of assets.
            var effective = EffectiveN(w);
            if (effective > 0)
            {
                effectiveSum += effective;
                investedBars++;
            }
        }

        var final = result.WeightsAt(result.BarCount - 1).ToArray();
        return new StrategyHoldings(LabelOf(run), result.Assets, average, final, investedBars > 0 ? effectiveSum / investedBars : 0, EffectiveN(final), largest, run.Score.Turnover);
    }

    /// <summary>
    /// The effective number of assets of one weight vector, (Σw)² / Σw²: 1 / Σw² of the weights rescaled to the invested
    /// part, so a quote-asset residual (fees, dust) does not count as diversification. 0 for an all-zero vector.
    /// </summary>
    public static double EffectiveN(ReadOnlySpan<double> weights)
    {
        var sum = 0.0;
        var squares = 0.0;
        foreach (var w in weights)
        {
            sum += w;
            squares += w * w;
        }

        return squares > 0 ? sum * sum / squares : 0;
    }

    /// <summary>The <paramref name="count"/> largest average holdings, as "BTC 31.0 %, ETH 22.4 %, …".</summary>
    public string DescribeAverageTop(int count) => Describe(AverageWeights, count);

    /// <summary>The <paramref name="count"/> largest final holdings, as "BTC 31.0 %, ETH 22.4 %, …".</summary>
    public string DescribeFinalTop(int count) => Describe(FinalWeights, count);

    /// <summary>The display label of a run: <c>allocator × policy</c>.</summary>
    public static string LabelOf(StrategyRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return $"{run.Score.Allocator} × {run.Score.Policy}";
    }

    private string Describe(IReadOnlyList<double> weights, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return string.Join(", ", weights
            .Select((w, a) => (Asset: Assets[a], Weight: w))
            .OrderByDescending(p => p.Weight)
            .ThenBy(p => p.Asset, StringComparer.Ordinal)
            .Take(count)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Asset} {p.Weight:P1}")));
    }
}
