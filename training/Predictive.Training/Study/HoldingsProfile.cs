using Predictive.Core.Backtesting;

namespace Predictive.Training.Study;

/// <summary>
/// How concentrated a portfolio was, from the weights it held at each bar's close (normalized over the held assets):
/// the effective number of holdings <c>1/Σw²</c> averaged over the bars, and the largest single weight, at its most
/// and on average. A portfolio that is one concentrated bet has an effective N near 1 and a largest weight near 1.
/// </summary>
/// <param name="MeanEffectiveN">The mean over bars of <c>1/Σw²</c>.</param>
/// <param name="MaxWeight">The largest weight at any bar.</param>
/// <param name="MeanMaxWeight">The mean over bars of each bar's largest weight.</param>
/// <param name="Bars">The bars counted (bars holding nothing are skipped).</param>
public sealed record HoldingsProfile(double MeanEffectiveN, double MaxWeight, double MeanMaxWeight, int Bars)
{
    /// <summary>The profile of rows of weights, row-major <c>[bar, asset]</c>.</summary>
    /// <exception cref="ArgumentException">The weights are not whole rows, or a weight is negative or not finite.</exception>
    public static HoldingsProfile FromRows(ReadOnlySpan<double> weights, int assets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        if (weights.Length % assets != 0)
        {
            throw new ArgumentException($"{weights.Length} weights are not whole rows of {assets} assets.", nameof(weights));
        }

        double effective = 0, largest = 0, largestSum = 0;
        var bars = 0;
        for (var row = 0; row < weights.Length / assets; row++)
        {
            var w = weights.Slice(row * assets, assets);
            double sum = 0, squares = 0, max = 0;
            foreach (var x in w)
            {
                if (!(x >= 0) || !double.IsFinite(x))
                {
                    throw new ArgumentException($"weight {x} at row {row} is negative or not finite.", nameof(weights));
                }

                sum += x;
                squares += x * x;
                max = Math.Max(max, x);
            }

            if (sum <= 0)
            {
                continue;
            }

            // Normalized w' = w / sum: Σw'² = squares / sum², max w' = max / sum.
            effective += sum * sum / squares;
            largest = Math.Max(largest, max / sum);
            largestSum += max / sum;
            bars++;
        }

        return bars == 0 ? new HoldingsProfile(0, 0, 0, 0) : new HoldingsProfile(effective / bars, largest, largestSum / bars, bars);
    }

    /// <summary>The profile over every bar of <paramref name="blocks"/> (their held weights, block after block).</summary>
    public static HoldingsProfile FromBlocks(IReadOnlyList<BacktestResult> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (blocks.Count == 0)
        {
            return new HoldingsProfile(0, 0, 0, 0);
        }

        var assets = blocks[0].Assets.Count;
        var rows = blocks.SelectMany(b => b.Assets.Count == assets
            ? b.Weights.ToArray()
            : throw new ArgumentException($"block {b.Allocator} holds {b.Assets.Count} assets; the first holds {assets}.", nameof(blocks))).ToArray();
        return FromRows(rows, assets);
    }
}
