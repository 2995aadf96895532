using Predictive.Training.Data;

namespace Predictive.Training.Evaluation;

/// <summary>Chooses the weights of one sample given the weights held before the decision (both one per asset).</summary>
/// <param name="sample">The sample (decision bar).</param>
/// <param name="held">The drifted weights held before the decision.</param>
/// <param name="weights">Receives the target weights; they should be ≥ 0 and sum to 1.</param>
public delegate void WeightPolicy(int sample, ReadOnlySpan<float> held, Span<float> weights);

/// <summary>The result of <see cref="PortfolioBacktest.Run"/>.</summary>
/// <param name="Metrics">The summary statistics.</param>
/// <param name="NetReturns">Net return of each period.</param>
/// <param name="Turnover">Σ|w − held| of each period.</param>
/// <param name="Costs">Cost paid in each period, as a fraction of wealth.</param>
/// <param name="Weights">The target weights of each period, row-major <c>[period, asset]</c>.</param>
public sealed record BacktestResult(PerformanceMetrics Metrics, IReadOnlyList<double> NetReturns, IReadOnlyList<double> Turnover, IReadOnlyList<double> Costs, IReadOnlyList<float> Weights);

/// <summary>
/// Runs a policy through a range of samples in time order, as it would trade: at each bar it sees the weights it
/// actually holds (its previous weights drifted by the period's returns), pays <c>costRate × Σ|w − held|</c>, and
/// earns <c>Σ w · r</c> over the next period.
/// </summary>
/// <remarks>The range starts from equal weights over the assets available at its first sample, and after a break in
/// the bars (a sample whose previous bar is not a sample) the policy restarts from equal weights without paying for it.</remarks>
public static class PortfolioBacktest
{
    /// <summary>Runs <paramref name="policy"/> over <paramref name="range"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range lies outside the dataset or the cost rate is negative.</exception>
    public static BacktestResult Run(TrainingDataset data, SampleRange range, WeightPolicy policy, double costRate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(costRate);
        if (range.Start < 0 || range.End > data.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range, $"the dataset has {data.SampleCount} samples.");
        }

        var n = data.AssetCount;
        var held = new float[n];
        var w = new float[n];
        var net = new double[range.Count];
        var turnover = new double[range.Count];
        var costs = new double[range.Count];
        var allWeights = new float[range.Count * n];
        for (var k = 0; k < range.Count; k++)
        {
            var i = range.Start + k;
            if (k == 0 || !data.FollowsPrevious(i))
            {
                data.EqualWeightsInto(i, held);
            }

            policy(i, held, w);
            var r = data.ReturnRow(i);
            double gross = 0, turn = 0;
            for (var a = 0; a < n; a++)
            {
                gross += w[a] * (double)r[a];
                turn += Math.Abs(w[a] - held[a]);
            }

            turnover[k] = turn;
            costs[k] = costRate * turn;
            net[k] = gross - costs[k];
            w.CopyTo(allWeights.AsSpan(k * n, n));
            data.DriftInto(i, w, held);
        }

        var metrics = PerformanceMetrics.From(net, turnover, costs, data.Interval.BarsPerYear);
        return new BacktestResult(metrics, net, turnover, costs, allWeights);
    }
}
