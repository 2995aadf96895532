using Predictive.Core.Allocation;
using Predictive.Core.Backtesting;
using Predictive.Research.Metrics;
using Predictive.Research.Statistics;
using Predictive.Training.Data;
using Predictive.Training.Evaluation;
using Predictive.Training.Pipeline;
using Predictive.Training.Torch;

namespace Predictive.Training.Study;

/// <summary>One training configuration of a study.</summary>
/// <param name="Name">A short name for tables.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Options">The training settings (its seed is replaced by each of the study's seeds).</param>
public sealed record StudyVariant(string Name, string Description, TrainingOptions Options);

/// <summary>One seed of one variant, out of sample.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Folds">Each fold's test block alone.</param>
/// <param name="Overall">The test blocks chained.</param>
public sealed record SeedOutcome(int Seed, IReadOnlyList<PerformanceMetrics> Folds, PerformanceMetrics Overall)
{
    /// <summary>Bootstrap intervals of the Sharpe per fold and chained, and of the margin over 1/N (none for 1/N itself).</summary>
    public SharpeConfidence? Confidence { get; init; }

    /// <summary>The weights held over every test bar: effective N and largest weight.</summary>
    public HoldingsProfile? Holdings { get; init; }

    /// <summary>The chained Sharpe less 1/N's on the same blocks; null for 1/N itself.</summary>
    public double? MarginOverEqualWeight { get; init; }

    /// <summary>The per-bar net returns of the blocks chained.</summary>
    public IReadOnlyList<double> Returns { get; init; } = [];

    /// <summary>The outcome of one strategy's test blocks, with intervals against <paramref name="benchmark"/>'s blocks on the same bars (or none).</summary>
    public static SeedOutcome FromBlocks(int seed, IReadOnlyList<BacktestResult> blocks, IReadOnlyList<BacktestResult>? benchmark)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var foldReturns = blocks.Select(b => ReturnStatistics.Returns(b.Equity)).ToList();
        var benchmarkReturns = benchmark?.Select(b => ReturnStatistics.Returns(b.Equity)).ToList();
        return new SeedOutcome(seed, [.. blocks.Select(b => PerformanceMetrics.Chain([b]))], PerformanceMetrics.Chain(blocks))
        {
            Confidence = SharpeConfidence.Compute(foldReturns, benchmarkReturns, blocks[0].BarsPerYear),
            Holdings = HoldingsProfile.FromBlocks(blocks),
            Returns = [.. foldReturns.SelectMany(r => r)],
            MarginOverEqualWeight = benchmark is null ? null : PerformanceMetrics.Chain(blocks).Sharpe - PerformanceMetrics.Chain(benchmark).Sharpe,
        };
    }
}

/// <summary>A variant across seeds, plus the ensemble of its seeds (mean weights, per fold).</summary>
/// <param name="Name">The variant's name.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Seeds">Each seed's outcome.</param>
/// <param name="Ensemble">The ensemble of all seeds' fold models on the same test blocks.</param>
public sealed record VariantOutcome(string Name, string Description, IReadOnlyList<SeedOutcome> Seeds, SeedOutcome Ensemble)
{
    /// <summary>Mean overall Sharpe across seeds.</summary>
    public double MeanSharpe => Seeds.Average(s => s.Overall.Sharpe);

    /// <summary>Sample standard deviation of the overall Sharpe across seeds (0 for one seed).</summary>
    public double SharpeSpread => Seeds.Count < 2 ? 0 : Math.Sqrt(Seeds.Sum(s => Math.Pow(s.Overall.Sharpe - MeanSharpe, 2)) / (Seeds.Count - 1));

    /// <summary>The worst seed's overall Sharpe.</summary>
    public double MinSharpe => Seeds.Min(s => s.Overall.Sharpe);

    /// <summary>The best seed's overall Sharpe.</summary>
    public double MaxSharpe => Seeds.Max(s => s.Overall.Sharpe);

    /// <summary>Mean annualized turnover across seeds.</summary>
    public double MeanTurnover => Seeds.Average(s => s.Overall.Turnover);

    /// <summary>The ensemble's deflated Sharpe ratio among <see cref="StudyResult.Trials"/> trials.</summary>
    public double DeflatedSharpe { get; init; } = double.NaN;

    /// <summary>Issue 22's goal checked on the ensemble and its seeds.</summary>
    public GoalVerdict? Verdict { get; init; }
}

/// <summary>What <see cref="OptionStudy.Run"/> measured.</summary>
/// <param name="FoldTests">Each fold's test range (UTC).</param>
/// <param name="EqualWeight">1/N on the same blocks, same backtester, costs and policy.</param>
/// <param name="Variants">Each variant's outcome.</param>
public sealed record StudyResult(IReadOnlyList<string> FoldTests, SeedOutcome EqualWeight, IReadOnlyList<VariantOutcome> Variants)
{
    /// <summary>Every classical allocator on the same blocks (<see cref="BaselineComparison"/>); empty when not run.</summary>
    public IReadOnlyList<ClassicalOutcome> Classical { get; init; } = [];

    /// <summary>
    /// The trials the ensembles' deflated Sharpe ratios count: every seed and every ensemble of every variant, or every
    /// trial of the ledger when the study was recorded in one (<see cref="OptionStudy.Judge"/>).
    /// </summary>
    public int Trials { get; init; }

    /// <summary>The variant whose ensemble has the highest chained Sharpe.</summary>
    public VariantOutcome Winner => Variants.MaxBy(v => v.Ensemble.Overall.Sharpe)!;
}

/// <summary>
/// Compares training configurations honestly: every variant is trained with every seed on the same walk-forward folds
/// (one model per fold and seed, early-stopped on the fold's own validation tail), and judged out of sample on the
/// fold's test block by Core's backtester with the real cost model and the evaluation's rebalancing policy, against 1/N
/// on the same blocks. The ensemble of a variant's seeds (mean weights) is judged on the same blocks.
/// </summary>
public static class OptionStudy
{
    /// <summary>
    /// The variants issue 22 asks for, on top of <paramref name="baseline"/>: the linear-cost baseline, the loss under
    /// Core's cost model, and the three ways to learn where not to trade (calibrated turnover penalty, in-loop band,
    /// tilt around 1/N or around the diagonal minimum-variance portfolio), each under Core's cost model.
    /// </summary>
    public static IReadOnlyList<StudyVariant> DefaultVariants(TrainingOptions baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        var pool = baseline with { Cost = TrainingCostKind.Pool };
        return
        [
            new("linear", "loss net of a linear 10 bps × turnover (the current default)", baseline with { Cost = TrainingCostKind.Linear }),
            new("pool", "loss net of Core's cost model (fee, constant-product impact, gas per traded asset)", pool),
            new("pool+penalty", "pool, plus a turnover penalty of 1× the cost model's cost per unit of turnover", pool with { TurnoverPenalty = 1 }),
            new("pool+band", "pool, with a no-trade band of 0.02 per asset inside the training loop", pool with { NoTradeBand = 0.02f }),
            new("pool+tilt", "pool, output tilted around 1/N with shrinkage 0.5 toward it", pool with { Tilt = 0.5f }),
            new("pool+mvtilt", "pool, output tilted around the diagonal minimum-variance portfolio (1/σ², trailing 30-day realized volatility) with shrinkage 0.5 toward it", pool with { Tilt = 0.5f, Anchor = TiltAnchor.MinVariance }),
        ];
    }

    /// <summary>Runs every variant with every seed.</summary>
    /// <param name="data">The dataset (built from the variants' panel and features).</param>
    /// <param name="variants">The configurations; their walk-forward, validation size and evaluation must agree.</param>
    /// <param name="seeds">The seeds, at least one.</param>
    /// <param name="classical">Classical allocators to run on the same blocks (<see cref="Allocators.Names"/> when null; empty for none).</param>
    /// <param name="progress">Optional progress lines.</param>
    /// <param name="cancellationToken">Checked between fits.</param>
    /// <exception cref="ArgumentException">No variant or seed, or variants that would not be judged on the same blocks.</exception>
    public static StudyResult Run(TrainingDataset data, IReadOnlyList<StudyVariant> variants, IReadOnlyList<int> seeds, IReadOnlyList<string>? classical = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(seeds);
        if (variants.Count == 0 || seeds.Count == 0)
        {
            throw new ArgumentException($"a study needs at least one variant and one seed; got {variants.Count} and {seeds.Count}.", nameof(variants));
        }

        var first = variants[0].Options;
        foreach (var v in variants)
        {
            v.Options.Validate();
            if (v.Options.WalkForward != first.WalkForward || v.Options.ValidationSize != first.ValidationSize || v.Options.Evaluation != first.Evaluation)
            {
                throw new ArgumentException($"variant '{v.Name}' differs from '{variants[0].Name}' in its walk-forward, validation size or evaluation; they must be judged on the same blocks.", nameof(variants));
            }
        }

        TorchCpuKernels.EnsurePinned();
        var folds = WalkForwardSplitter.Split(data.SampleCount, first.WalkForward);
        var evaluator = new SampleBacktester(data, first.Evaluation);
        var equalFolds = folds.Select(f => evaluator.Run("equal", f.Test, evaluator.EqualWeights, cancellationToken)).ToList();
        var equal = SeedOutcome.FromBlocks(0, equalFolds, null);
        var baselines = ClassicalOutcomes(evaluator, data, folds, equalFolds, classical, cancellationToken);
        foreach (var b in baselines)
        {
            progress?.Report($"classical {b.Name}: Sharpe {b.Outcome.Overall.Sharpe:F3} ({b.Fallbacks} fallbacks to 1/N)");
        }

        var outcomes = new List<VariantOutcome>(variants.Count);
        var runs = variants.Count * seeds.Count;
        var run = 0;
        foreach (var variant in variants)
        {
            var perSeed = seeds.Select(_ => new List<BacktestResult>(folds.Count)).ToArray();
            var ensembleBlocks = new List<BacktestResult>(folds.Count);
            foreach (var fold in folds)
            {
                var (fit, validation) = fold.SplitValidation(Math.Min(variant.Options.ValidationSize, fold.Train.Count / 4));
                var members = new List<AllocatorNetwork>(seeds.Count);
                try
                {
                    for (var k = 0; k < seeds.Count; k++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var trainer = (variant.Options with { Seed = seeds[k] }).ToTrainerOptions();
                        var trained = TorchAllocatorTrainer.Train(data, fit, validation, trainer, cancellationToken: cancellationToken);
                        members.Add(trained.Network);
                        var test = TorchAllocatorTrainer.Evaluate(trained.Network, evaluator, data, fold.Test, cancellationToken);
                        perSeed[k].Add(test);
                        progress?.Report($"{variant.Name} seed {seeds[k]} fold {fold.Index + 1}/{folds.Count}: test Sharpe {PerformanceMetrics.Chain([test]).Sharpe:F3} (best epoch {trained.BestEpoch}/{trained.EpochsRun})");
                    }

                    var ensemble = new AllocatorEnsemble(members);
                    ensembleBlocks.Add(evaluator.Run(variant.Name + "-ensemble", fold.Test, ensemble.Policy(data), cancellationToken));
                }
                finally
                {
                    members.ForEach(m => m.Dispose());
                }
            }

            var seedOutcomes = seeds.Select((s, k) => SeedOutcome.FromBlocks(s, perSeed[k], equalFolds)).ToList();
            var outcome = new VariantOutcome(variant.Name, variant.Description, seedOutcomes, SeedOutcome.FromBlocks(-1, ensembleBlocks, equalFolds));
            outcomes.Add(outcome);
            run += seeds.Count;
            progress?.Report($"[{run}/{runs}] {variant.Name}: Sharpe {outcome.MeanSharpe:F3} ± {outcome.SharpeSpread:F3} over {seeds.Count} seeds, ensemble {outcome.Ensemble.Overall.Sharpe:F3}; 1/N {equal.Overall.Sharpe:F3}");
        }

        // Every seed and every ensemble the study looked at is a trial the best of them could have been picked from.
        var result = new StudyResult([.. folds.Select(f => data.DescribeRange(f.Test))], equal, outcomes) { Classical = baselines };
        var deflated = DeflatedSharpe.ForTrials([.. TrialOutcomes(result).Select(o => o.Returns.ToArray())]);
        var stride = seeds.Count + 1;
        return Judge(result, [.. outcomes.Select((_, i) => deflated[((i + 1) * stride) - 1])], deflated.Length);
    }

    /// <summary>Every outcome the study counts as a trial, in order: each variant's seeds, then its ensemble.</summary>
    public static IEnumerable<SeedOutcome> TrialOutcomes(StudyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Variants.SelectMany(v => v.Seeds.Append(v.Ensemble));
    }

    /// <summary>
    /// Gives each variant's ensemble its deflated Sharpe ratio and the goal's verdict over <paramref name="trials"/>
    /// trials: the study's own trials, or every trial of the ledger the study's were recorded in.
    /// </summary>
    /// <param name="result">The study.</param>
    /// <param name="ensembleDeflated">Each variant's ensemble's deflated Sharpe ratio, in the variants' order.</param>
    /// <param name="trials">The trials those ratios were deflated by.</param>
    public static StudyResult Judge(StudyResult result, IReadOnlyList<double> ensembleDeflated, int trials)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(ensembleDeflated);
        if (ensembleDeflated.Count != result.Variants.Count)
        {
            throw new ArgumentException($"one deflated Sharpe ratio per variant is needed; got {ensembleDeflated.Count} for {result.Variants.Count}.", nameof(ensembleDeflated));
        }

        var judged = result.Variants.Select((v, i) => v with
        {
            DeflatedSharpe = ensembleDeflated[i],
            Verdict = GoalVerdict.Judge($"{v.Name} (ensemble of {v.Seeds.Count})", v.Ensemble.Overall.Sharpe, [.. v.Seeds.Select(s => s.Overall.Sharpe)], result.EqualWeight.Overall.Sharpe, result.Classical, ensembleDeflated[i], trials),
        }).ToList();
        return result with { Variants = judged, Trials = trials };
    }

    /// <summary>Runs the classical allocators on the folds' test blocks and gives each its outcome against 1/N.</summary>
    internal static List<ClassicalOutcome> ClassicalOutcomes(SampleBacktester evaluator, TrainingDataset data, IReadOnlyList<WalkForwardFold> folds, IReadOnlyList<BacktestResult> equalFolds, IReadOnlyList<string>? names, CancellationToken cancellationToken) =>
        [.. BaselineComparison.Run(evaluator, data, folds, names ?? Allocators.Names, cancellationToken)
            .Select(b => new ClassicalOutcome(b.Name, SeedOutcome.FromBlocks(0, b.Folds, equalFolds), b.Fallbacks))];
}
