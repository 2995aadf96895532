using System.Globalization;
using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;
using Predictive.Research.Statistics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;

namespace Predictive.Training.Study;

/// <summary>Settings of <see cref="NestedSearch"/>.</summary>
public sealed record SearchOptions
{
    /// <summary>The outer walk-forward: each outer test block is predicted by the configuration chosen on its training range. The default value is 4 expanding folds (as <c>train</c>).</summary>
    public WalkForwardOptions Outer { get; init; } = new();

    /// <summary>The inner walk-forward, cut inside each outer training range only. The default value is 2 folds after 180 training samples.</summary>
    public WalkForwardOptions Inner { get; init; } = new() { Folds = 2, MinTrainSize = 180 };

    /// <summary>How many configurations to draw at random from the space (all of them when null or larger). The default value is 4.</summary>
    public int? Candidates { get; init; } = 4;

    /// <summary>The seed of the random draw and of every training run. The default value is 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Classical allocators to run on the outer blocks (<see cref="Allocators.Names"/> when null; empty for none). The default value is null.</summary>
    public IReadOnlyList<string>? Classical { get; init; }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Outer, nameof(Outer));
        ArgumentNullException.ThrowIfNull(Inner, nameof(Inner));
        Outer.Validate();
        Inner.Validate();
        if (Candidates is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Candidates), Candidates, "Candidates must be null (the whole space) or at least 1.");
        }
    }
}

/// <summary>One trial: one configuration judged on the inner folds of one outer fold.</summary>
/// <param name="TrialId">A stable id: the dataset's range, the seed, the outer fold and the configuration.</param>
/// <param name="OuterFold">The outer fold.</param>
/// <param name="Candidate">The configuration's name.</param>
/// <param name="Window">The inner test blocks' span (UTC, <c>start/end</c>).</param>
/// <param name="Metrics">The inner test blocks chained.</param>
/// <param name="SharpePerBar">Per-bar Sharpe of the chained inner net returns.</param>
/// <param name="Observations">How many returns.</param>
/// <param name="Skewness">Their skewness.</param>
/// <param name="Kurtosis">Their (non-excess) kurtosis.</param>
public sealed record SearchTrial(string TrialId, int OuterFold, string Candidate, string Window, PerformanceMetrics Metrics, double SharpePerBar, int Observations, double Skewness, double Kurtosis);

/// <summary>What one outer fold chose and how the choice did on the outer test block.</summary>
/// <param name="Fold">The outer fold.</param>
/// <param name="TestRange">Its test block (UTC).</param>
/// <param name="Chosen">The configuration with the best inner Sharpe.</param>
/// <param name="InnerSharpe">Its inner (chained) Sharpe.</param>
/// <param name="Test">The chosen configuration, retrained on the whole outer training range, on the outer test block.</param>
/// <param name="EqualWeight">1/N on the same block.</param>
public sealed record OuterChoice(int Fold, string TestRange, string Chosen, double InnerSharpe, PerformanceMetrics Test, PerformanceMetrics EqualWeight);

/// <summary>What <see cref="NestedSearch.Run"/> found.</summary>
/// <param name="Space">Every configuration's name in the space.</param>
/// <param name="Candidates">The configurations drawn and tried.</param>
/// <param name="Trials">Every trial, in the order run.</param>
/// <param name="Outer">Each outer fold's choice.</param>
/// <param name="Overall">The outer test blocks chained: the search procedure's out-of-sample result.</param>
/// <param name="OverallReturns">Its per-bar net returns.</param>
/// <param name="EqualWeight">1/N on the same outer blocks, chained.</param>
public sealed record SearchResult(IReadOnlyList<string> Space, IReadOnlyList<string> Candidates, IReadOnlyList<SearchTrial> Trials, IReadOnlyList<OuterChoice> Outer, PerformanceMetrics Overall, IReadOnlyList<double> OverallReturns, PerformanceMetrics EqualWeight)
{
    /// <summary>The outer blocks of the search's picks: per-fold and chained bootstrap intervals (Sharpe and margin over 1/N) and holdings.</summary>
    public SeedOutcome? Outcome { get; init; }

    /// <summary>1/N on the outer blocks, with its intervals and holdings.</summary>
    public SeedOutcome? EqualWeightOutcome { get; init; }

    /// <summary>Every classical allocator on the outer blocks (same backtester, costs and policy); empty when not run.</summary>
    public IReadOnlyList<ClassicalOutcome> Classical { get; init; } = [];

    /// <summary>The drawn configurations' settings, by name (what <see cref="OuterChoice.Chosen"/> names).</summary>
    public IReadOnlyDictionary<string, TrainingOptions> Configurations { get; init; } = new Dictionary<string, TrainingOptions>();
}

/// <summary>
/// A random search with nested walk-forward: for each outer fold, every drawn configuration is trained and judged on
/// inner walk-forward folds cut from the outer training range alone; the configuration with the best inner Sharpe is
/// retrained on the outer training range and judged once on the outer test block. The outer blocks chained are the
/// search's honest out-of-sample figure; each configuration on each outer fold's inner folds is one trial.
/// </summary>
public static class NestedSearch
{
    /// <summary>
    /// The search space over <paramref name="baseline"/>: model kind (eiie, mlp) × the training variants of
    /// <see cref="OptionStudy.DefaultVariants"/> (loss cost and anchor) × feature set (<see cref="FeatureSets.Default"/>
    /// of the baseline's spec) × objective (Sharpe, mean-variance) × hidden width (16, 32) × learning rate (0.001, 0.003).
    /// </summary>
    public static IReadOnlyList<StudyVariant> DefaultSpace(TrainingOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var space = new List<StudyVariant>();
        var sets = FeatureSets.Default(baseline.ResolveSpec());
        foreach (var model in new[] { AllocatorModelKind.Eiie, AllocatorModelKind.Mlp })
        {
            foreach (var variant in OptionStudy.DefaultVariants(baseline with { Model = model }))
            {
                foreach (var set in sets)
                {
                    foreach (var loss in new[] { PortfolioLossKind.NegativeSharpe, PortfolioLossKind.MeanVariance })
                    {
                        foreach (var hidden in new[] { 16, 32 })
                        {
                            foreach (var rate in new[] { 1e-3, 3e-3 })
                            {
                                var name = string.Create(CultureInfo.InvariantCulture, $"{model.ToString().ToLowerInvariant()}/{variant.Name}/{set.Name}/{(loss == PortfolioLossKind.NegativeSharpe ? "sharpe" : "mv")}/h{hidden}/lr{rate}");
                                space.Add(new StudyVariant(name, variant.Description, variant.Options with { Spec = set.Spec, Loss = loss, Hidden = hidden, LearningRate = rate }));
                            }
                        }
                    }
                }
            }
        }

        return space;
    }

    /// <summary>
    /// The samples <paramref name="candidate"/> trains on: <paramref name="data"/> itself, or its columns of the
    /// candidate's feature set (<see cref="TrainingDataset.WithFeatures"/>: same bars, availability and labels, so the
    /// nested folds cut the same samples for every feature set).
    /// </summary>
    /// <exception cref="ArgumentException">The candidate's features are not all in <paramref name="data"/>.</exception>
    public static TrainingDataset DataFor(TrainingDataset data, StudyVariant candidate)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.Options.Spec is { } spec ? data.WithFeatures(spec) : data;
    }

    /// <summary>The inner folds of <paramref name="outer"/>: <paramref name="inner"/>'s walk-forward over the outer training range only.</summary>
    /// <exception cref="ArgumentException">The outer training range is too short for the inner folds.</exception>
    public static IReadOnlyList<WalkForwardFold> InnerFolds(WalkForwardFold outer, WalkForwardOptions inner)
    {
        ArgumentNullException.ThrowIfNull(outer);
        ArgumentNullException.ThrowIfNull(inner);
        var start = outer.Train.Start;
        return [.. WalkForwardSplitter.Split(outer.Train.Count, inner).Select(f => f with
        {
            Train = new SampleRange(f.Train.Start + start, f.Train.Count),
            Test = new SampleRange(f.Test.Start + start, f.Test.Count),
        })];
    }

    /// <summary>Runs the search.</summary>
    /// <param name="data">The dataset.</param>
    /// <param name="space">The configurations; they must share the evaluation and validation size.</param>
    /// <param name="options">Folds, draw size and seed.</param>
    /// <param name="progress">Optional progress lines (one per trial and per outer fold).</param>
    /// <param name="cancellationToken">Checked between fits.</param>
    /// <exception cref="ArgumentException">The space is empty or its configurations would be judged differently.</exception>
    public static SearchResult Run(TrainingDataset data, IReadOnlyList<StudyVariant> space, SearchOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (space.Count == 0)
        {
            throw new ArgumentException("the search space is empty.", nameof(space));
        }

        var evaluation = space[0].Options.Evaluation;
        foreach (var candidate in space)
        {
            candidate.Options.Validate();
            if (candidate.Options.Evaluation != evaluation || candidate.Options.ValidationSize != space[0].Options.ValidationSize)
            {
                throw new ArgumentException($"configuration '{candidate.Name}' has another evaluation or validation size than '{space[0].Name}'; a search compares like with like.", nameof(space));
            }
        }

        TorchCpuKernels.EnsurePinned();
        var drawn = Draw(space, options);
        var views = new Dictionary<string, TrainingDataset>(StringComparer.Ordinal);
        TrainingDataset View(StudyVariant candidate)
        {
            var key = string.Join(',', candidate.Options.Spec?.FeatureNames ?? data.FeatureNames);
            if (!views.TryGetValue(key, out var view))
            {
                view = DataFor(data, candidate);
                views.Add(key, view);
            }

            return view;
        }

        var evaluator = new SampleBacktester(data, evaluation);
        var outerFolds = WalkForwardSplitter.Split(data.SampleCount, options.Outer);
        var trials = new List<SearchTrial>();
        var choices = new List<OuterChoice>();
        var outerBlocks = new List<BacktestResult>();
        var equalBlocks = new List<BacktestResult>();
        var total = drawn.Count * outerFolds.Count;
        foreach (var outer in outerFolds)
        {
            var inner = InnerFolds(outer, options.Inner);
            SearchTrial? best = null;
            foreach (var candidate in drawn)
            {
                var blocks = inner.Select(f => Judge(View(candidate), evaluator, candidate, f, options.Seed, cancellationToken)).ToList();
                var trial = Trial(data, outer, inner, candidate, blocks, options.Seed);
                trials.Add(trial);
                progress?.Report($"trial {trials.Count}/{total}: outer fold {outer.Index + 1}/{outerFolds.Count}, {candidate.Name}: inner Sharpe {trial.Metrics.Sharpe:F3}");
                if (best is null || trial.Metrics.Sharpe > best.Metrics.Sharpe)
                {
                    best = trial;
                }
            }

            var chosen = drawn.First(c => c.Name == best!.Candidate);
            var test = Judge(View(chosen), evaluator, chosen, outer, options.Seed, cancellationToken);
            var equal = evaluator.Run("equal", outer.Test, evaluator.EqualWeights, cancellationToken);
            outerBlocks.Add(test);
            equalBlocks.Add(equal);
            var choice = new OuterChoice(outer.Index, data.DescribeRange(outer.Test), chosen.Name, best!.Metrics.Sharpe, PerformanceMetrics.Chain([test]), PerformanceMetrics.Chain([equal]));
            choices.Add(choice);
            progress?.Report($"outer fold {outer.Index + 1}/{outerFolds.Count}: chose {chosen.Name} (inner {choice.InnerSharpe:F3}); outer test Sharpe {choice.Test.Sharpe:F3}, 1/N {choice.EqualWeight.Sharpe:F3}");
        }

        var classical = OptionStudy.ClassicalOutcomes(evaluator, data, outerFolds, equalBlocks, options.Classical, cancellationToken);
        return new SearchResult(
            [.. space.Select(s => s.Name)],
            [.. drawn.Select(s => s.Name)],
            trials,
            choices,
            PerformanceMetrics.Chain(outerBlocks),
            ChainedReturns(outerBlocks),
            PerformanceMetrics.Chain(equalBlocks))
        {
            Outcome = SeedOutcome.FromBlocks(options.Seed, outerBlocks, equalBlocks),
            EqualWeightOutcome = SeedOutcome.FromBlocks(0, equalBlocks, null),
            Classical = classical,
            Configurations = drawn.ToDictionary(c => c.Name, c => c.Options, StringComparer.Ordinal),
        };
    }

    /// <summary>The per-bar returns of blocks chained as one account (each block's returns in turn).</summary>
    public static double[] ChainedReturns(IReadOnlyList<BacktestResult> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        return [.. blocks.SelectMany(b => ReturnStatistics.Returns(b.Equity))];
    }

    private static List<StudyVariant> Draw(IReadOnlyList<StudyVariant> space, SearchOptions options)
    {
        if (options.Candidates is not { } k || k >= space.Count)
        {
            return [.. space];
        }

        // A seeded partial Fisher–Yates shuffle: the same seed draws the same configurations.
        var order = Enumerable.Range(0, space.Count).ToArray();
        var rng = new Random(options.Seed);
        for (var i = 0; i < k; i++)
        {
            var j = rng.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return [.. order.Take(k).Order().Select(i => space[i])];
    }

    private static BacktestResult Judge(TrainingDataset data, SampleBacktester evaluator, StudyVariant candidate, WalkForwardFold fold, int seed, CancellationToken cancellationToken)
    {
        var (fit, validation) = fold.SplitValidation(Math.Min(candidate.Options.ValidationSize, fold.Train.Count / 4));
        var trained = TorchAllocatorTrainer.Train(data, fit, validation, (candidate.Options with { Seed = seed }).ToTrainerOptions(), cancellationToken: cancellationToken);
        using (trained.Network)
        {
            return TorchAllocatorTrainer.Evaluate(trained.Network, evaluator, data, fold.Test, cancellationToken);
        }
    }

    private static SearchTrial Trial(TrainingDataset data, WalkForwardFold outer, IReadOnlyList<WalkForwardFold> inner, StudyVariant candidate, List<BacktestResult> blocks, int seed)
    {
        var returns = ChainedReturns(blocks);
        var window = data.DescribeRange(SampleRange.FromBounds(inner[0].Test.Start, inner[^1].Test.End));
        var id = string.Create(CultureInfo.InvariantCulture, $"research-search:{data.DescribeRange(new SampleRange(0, data.SampleCount))}:s{seed}:outer{outer.Index}:{candidate.Name}");
        return new SearchTrial(id, outer.Index, candidate.Name, window, PerformanceMetrics.Chain(blocks), ReturnStatistics.Sharpe(returns), returns.Length, ReturnStatistics.Skewness(returns), ReturnStatistics.Kurtosis(returns));
    }
}
