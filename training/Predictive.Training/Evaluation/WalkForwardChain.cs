namespace Predictive.Training.Evaluation;

/// <summary>
/// Chains the test blocks of a walk-forward evaluation into one out-of-sample record, the way
/// <see cref="Pipeline.TrainingRunner"/> reports its overall figures: the blocks' net returns, turnovers and costs are
/// concatenated in fold order (each block restarts from equal weights) and the metrics are computed once over the
/// whole series. Unlike a mean of fold Sharpes, this weights folds by length and lets a drawdown span folds.
/// </summary>
public static class WalkForwardChain
{
    /// <summary>The metrics of <paramref name="blocks"/> concatenated in order; null when there is no block.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="barsPerYear"/> is not positive.</exception>
    public static PerformanceMetrics? Metrics(IReadOnlyList<BacktestResult> blocks, double barsPerYear)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(barsPerYear);
        if (blocks.Count == 0)
        {
            return null;
        }

        var net = new List<double>();
        var turnover = new List<double>();
        var costs = new List<double>();
        foreach (var block in blocks)
        {
            net.AddRange(block.NetReturns);
            turnover.AddRange(block.Turnover);
            costs.AddRange(block.Costs);
        }

        return PerformanceMetrics.From([.. net], [.. turnover], [.. costs], barsPerYear);
    }
}
