using Predictive.Core.Backtesting;
using Predictive.Core.MarketData;
using Predictive.Research.Metrics;
using Predictive.Training.Data;

namespace Predictive.Training.Evaluation;

/// <summary>
/// Judges policies on ranges of a dataset's samples with Core's <see cref="Backtester"/>: the one backtester, cost
/// model and policy <c>predictive compare</c> runs (<see cref="EvaluationOptions"/>), scored by Research's one
/// <see cref="PerformanceMetrics"/>.
/// </summary>
/// <remarks>
/// <para>A range is one backtest over the panel bars from its first sample's decision bar to the close after its last
/// sample's (so its last label period is earned). It starts from <see cref="EvaluationOptions.InitialValueQuote"/> in
/// cash and invests in the first target at the first bar, paying for it; every later sample bar the policy sees the
/// weights the portfolio actually holds and the rebalancing policy decides whether and how far to trade.</para>
/// <para>Every asset of the dataset is traded against <see cref="EvaluationOptions.QuoteAsset"/>. The dataset marks
/// an asset available only where its features are complete; the backtester trades only where it has a price, and an
/// asset that stops trading follows docs/backtesting.md ("Assets that stop trading").</para>
/// </remarks>
public sealed class SampleBacktester
{
    private readonly TrainingDataset _data;

    /// <summary>Creates the evaluator over <paramref name="data"/>'s panel.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the quote asset is one of the dataset's assets.</exception>
    public SampleBacktester(TrainingDataset data, EvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        Options = options ?? EvaluationOptions.Default;
        Options.Validate();
        if (data.Assets.Contains(Options.QuoteAsset, StringComparer.Ordinal))
        {
            throw new ArgumentException($"EvaluationOptions.QuoteAsset '{Options.QuoteAsset}' is one of the dataset's assets; the evaluation's cash must be a separate asset so every dataset asset can be held.", nameof(options));
        }

        _data = data;
        Market = new BacktestMarket(data.Panel, data.Assets, Options.Venue(), Options.Costs, planner: Options.Planner);
    }

    /// <summary>The options.</summary>
    public EvaluationOptions Options { get; }

    /// <summary>The market every range is replayed on.</summary>
    public BacktestMarket Market { get; }

    /// <summary>The panel the dataset was built from.</summary>
    public PricePanel Panel => _data.Panel;

    /// <summary>Backtests <paramref name="policy"/> over <paramref name="range"/>.</summary>
    /// <param name="name">The policy's name in the result.</param>
    /// <param name="range">Samples, in time order.</param>
    /// <param name="policy">The weights at each sample.</param>
    /// <param name="cancellationToken">Cancels inside the run.</param>
    /// <exception cref="ArgumentOutOfRangeException">The range is empty or outside the dataset.</exception>
    public BacktestResult Run(string name, SampleRange range, WeightPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (range.IsEmpty || range.Start < 0 || range.End > _data.SampleCount)
        {
            throw new ArgumentOutOfRangeException(nameof(range), range, $"the range must be non-empty and inside the dataset's {_data.SampleCount} samples.");
        }

        var options = new BacktestOptions
        {
            StartBar = _data.Bar(range.Start),
            EndBar = Math.Min(_data.Panel.BarCount, _data.Bar(range.End - 1) + 1 + TrainingDataset.LabelHorizon),
            InitialValueQuote = Options.InitialValueQuote,
        };
        var backtester = new Backtester(Market, options);
        var run = backtester.RunAsync(new SampleTargets(name, _data, range, policy), Options.Policy, cancellationToken);
        // No guard and a simulated venue: the run never waits on anything, so this does not block a thread.
        return run.GetAwaiter().GetResult();
    }

    /// <summary>The metrics of one range (<see cref="PerformanceMetrics.Chain"/> of it alone, so its entry cost counts).</summary>
    public PerformanceMetrics Evaluate(string name, SampleRange range, WeightPolicy policy, CancellationToken cancellationToken = default) =>
        PerformanceMetrics.Chain([Run(name, range, policy, cancellationToken)]);

    /// <summary>1/N over the assets available at each sample, as a policy.</summary>
    public WeightPolicy EqualWeights => (sample, _, weights) => _data.EqualWeightsInto(sample, weights);
}
