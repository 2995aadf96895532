using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;
using Predictive.Research.Statistics;

namespace Predictive.Research.Comparison;

/// <summary>One strategy to compare: a target schedule (the allocator stage) and a policy.</summary>
/// <param name="Targets">The allocator stage.</param>
/// <param name="Policy">The rebalancing policy.</param>
public sealed record StrategySpec(TargetSchedule Targets, PolicySpec Policy);

/// <summary>A compared strategy: its backtest and its leaderboard row.</summary>
/// <param name="Result">The backtest.</param>
/// <param name="Score">Metrics and statistics.</param>
public sealed record StrategyRun(BacktestResult Result, StrategyScore Score);

/// <summary>
/// Runs every strategy on one backtester and scores them together: the metrics of each, a stationary-bootstrap
/// confidence interval of its Sharpe ratio, and its deflated Sharpe ratio with the compared set as the trials.
/// </summary>
public static class ModelComparison
{
    /// <summary>Runs and scores the strategies, in the given order; <paramref name="progress"/> hears after each run.</summary>
    /// <param name="backtester">The backtester (market and options).</param>
    /// <param name="strategies">The strategies.</param>
    /// <param name="seed">The bootstrap's seed.</param>
    /// <param name="progress">Called with (runs done, runs in all, the strategy just finished).</param>
    /// <param name="cancellationToken">Cancels between and inside runs.</param>
    public static async Task<IReadOnlyList<StrategyRun>> RunAsync(Backtester backtester, IReadOnlyList<StrategySpec> strategies, int seed, Action<int, int, string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backtester);
        ArgumentNullException.ThrowIfNull(strategies);
        var results = new List<BacktestResult>(strategies.Count);
        foreach (var s in strategies)
        {
            results.Add(await backtester.RunAsync(s.Targets, s.Policy, cancellationToken).ConfigureAwait(false));
            progress?.Invoke(results.Count, strategies.Count, $"{s.Targets.Name} × {s.Policy.Name}");
        }

        return Score(results, seed);
    }

    /// <summary>Scores finished backtests together.</summary>
    public static IReadOnlyList<StrategyRun> Score(IReadOnlyList<BacktestResult> results, int seed)
    {
        ArgumentNullException.ThrowIfNull(results);
        var returns = results.Select(r => ReturnStatistics.Returns(r.Equity)).ToArray();
        var deflated = DeflatedSharpe.ForTrials(returns);
        var runs = new List<StrategyRun>(results.Count);
        for (var k = 0; k < results.Count; k++)
        {
            var metrics = PerformanceMetrics.Compute(results[k]);
            var bootstrap = new StationaryBootstrap(StationaryBootstrap.DefaultBlockLength(returns[k].Length), 1_000, seed);
            var ci = returns[k].Length >= 2 ? bootstrap.SharpeInterval(returns[k], results[k].BarsPerYear) : (double.NaN, double.NaN);
            runs.Add(new StrategyRun(results[k], StrategyScore.From(results[k].Allocator, results[k].Policy, metrics, ci, deflated[k]) with { AssetEvents = AssetEventRow.Of(results[k]) }));
        }

        return runs;
    }
}
