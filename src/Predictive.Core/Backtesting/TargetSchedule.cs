using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The allocator stage of a backtest: target weights over the backtest's assets at the bars the backtester asks for.
/// Implementations: <see cref="FixedTargets"/>, <see cref="AllocatorTargets"/> (any <see cref="IAllocator"/>, classical
/// or ONNX) and <see cref="WalkForwardTargets"/> (one allocator per fold).
/// </summary>
public abstract class TargetSchedule
{
    /// <summary>The name used in reports (the allocator's name).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Writes the target at <paramref name="bar"/> into <paramref name="target"/> (one weight per asset, summing to 1)
    /// and returns true; returns false to keep the previous target.
    /// </summary>
    /// <param name="bar">The panel bar (features and risk may use bars up to and including it).</param>
    /// <param name="currentWeights">Weights held now (the allocator's previous weights).</param>
    /// <param name="target">Where to write the target.</param>
    public abstract bool TryGetTarget(int bar, ReadOnlySpan<double> currentWeights, Span<double> target);
}

/// <summary>The same target at every bar (for example 1/N over a fixed universe).</summary>
public sealed class FixedTargets : TargetSchedule
{
    private readonly double[] _weights;

    /// <summary>Creates the schedule.</summary>
    /// <exception cref="ArgumentException">A weight is negative or not finite, or they do not sum to 1.</exception>
    public FixedTargets(IReadOnlyList<double> weights, string name = "fixed")
    {
        ArgumentNullException.ThrowIfNull(weights);
        _weights = [.. weights];
        if (_weights.Any(w => !(double.IsFinite(w) && w >= 0)) || Math.Abs(_weights.Sum() - 1) > 1e-9)
        {
            throw new ArgumentException($"Fixed target weights must be finite, ≥ 0 and sum to 1; got [{string.Join(", ", _weights)}].", nameof(weights));
        }

        Name = name;
    }

    /// <summary>1/N over <paramref name="assets"/> assets.</summary>
    public static FixedTargets Equal(int assets) => new(Enumerable.Repeat(1.0 / assets, assets).ToArray(), "equal");

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override bool TryGetTarget(int bar, ReadOnlySpan<double> currentWeights, Span<double> target)
    {
        _weights.CopyTo(target);
        return true;
    }
}

/// <summary>
/// Calls an <see cref="IAllocator"/> on one bar of a <see cref="FeatureFrame"/> (with the weights held now and, when
/// given, a risk estimate from the panel), exactly as the live service does.
/// </summary>
public sealed class AllocatorTargets : TargetSchedule
{
    private readonly IAllocator _allocator;
    private readonly FeatureFrame _frame;
    private readonly PricePanel _panel;
    private readonly RiskEstimator? _risk;

    /// <summary>Creates the schedule.</summary>
    /// <param name="allocator">The allocator.</param>
    /// <param name="frame">Features of the backtest's assets (same columns as the backtest), built from <paramref name="panel"/>.</param>
    /// <param name="panel">The panel the risk estimate reads (same assets as <paramref name="frame"/>).</param>
    /// <param name="risk">The risk estimator, or null for allocators that need none (1/N).</param>
    public AllocatorTargets(IAllocator allocator, FeatureFrame frame, PricePanel panel, RiskEstimator? risk)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(panel);
        if (!frame.Assets.SequenceEqual(panel.Assets, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The feature frame's assets [{string.Join(", ", frame.Assets)}] differ from the panel's [{string.Join(", ", panel.Assets)}].", nameof(frame));
        }

        _allocator = allocator;
        _frame = frame;
        _panel = panel;
        _risk = risk;
    }

    /// <inheritdoc />
    public override string Name => _allocator.Name;

    /// <summary>The assets, in column order.</summary>
    public IReadOnlyList<string> Assets => _frame.Assets;

    /// <inheritdoc />
    public override bool TryGetTarget(int bar, ReadOnlySpan<double> currentWeights, Span<double> target) =>
        Allocate(_allocator, _frame, _panel, _risk, bar, currentWeights, target);

    internal static bool Allocate(IAllocator allocator, FeatureFrame frame, PricePanel panel, RiskEstimator? risk, int bar, ReadOnlySpan<double> currentWeights, Span<double> target)
    {
        if (!frame.Availability(bar).Contains(true))
        {
            return false;
        }

        var input = frame.ToAllocationInput(bar, currentWeights, risk?.Estimate(panel, bar));
        if (!input.Available.Contains(true))
        {
            // Every asset with features lacks a risk estimate yet (listed too recently): the previous target holds.
            return false;
        }

        var w = allocator.Allocate(input);
        if (w.Length != target.Length)
        {
            throw new AllocationException($"allocator '{allocator.Name}' returned {w.Length} weights for {target.Length} assets.");
        }

        w.CopyTo(target);
        return true;
    }
}

/// <summary>One walk-forward fold in panel bars (the training side's folds count samples): train on bars [TrainStart, TrainEnd), trade bars [TestStart, TestEnd).</summary>
/// <param name="Index">The fold's number, from 0.</param>
/// <param name="TrainStart">First training bar.</param>
/// <param name="TrainEnd">End of training (exclusive).</param>
/// <param name="TestStart">First out-of-sample bar.</param>
/// <param name="TestEnd">End of the out-of-sample range (exclusive).</param>
public sealed record BarFold(int Index, int TrainStart, int TrainEnd, int TestStart, int TestEnd)
{
    /// <summary>
    /// Expanding-window folds: fold k trains on [0, firstTest + k·testBars) and trades the next <paramref name="testBars"/> bars.
    /// </summary>
    public static IReadOnlyList<BarFold> Expanding(int barCount, int firstTestBar, int testBars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstTestBar, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(testBars, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstTestBar, barCount);
        var folds = new List<BarFold>();
        for (int k = 0, start = firstTestBar; start < barCount; k++, start += testBars)
        {
            folds.Add(new BarFold(k, 0, start, start, Math.Min(barCount, start + testBars)));
        }

        return folds;
    }
}

/// <summary>
/// Walk-forward targets for learned models: each bar is allocated by the model of the fold whose out-of-sample range
/// holds it (a per-fold factory: train it, or load that fold's ONNX artifact). Outside every fold the previous target holds.
/// </summary>
public sealed class WalkForwardTargets : TargetSchedule
{
    private readonly IReadOnlyList<BarFold> _folds;
    private readonly Func<BarFold, IAllocator> _factory;
    private readonly FeatureFrame _frame;
    private readonly PricePanel _panel;
    private readonly RiskEstimator? _risk;
    private (int Fold, IAllocator Allocator)? _current;

    /// <summary>Creates the schedule.</summary>
    /// <param name="name">The strategy's name in reports.</param>
    /// <param name="folds">Folds with disjoint, increasing test ranges.</param>
    /// <param name="factory">The allocator of a fold; it must use nothing after the fold's <see cref="BarFold.TrainEnd"/>.</param>
    /// <param name="frame">Features of the backtest's assets.</param>
    /// <param name="panel">The panel the risk estimate reads.</param>
    /// <param name="risk">The risk estimator, or null.</param>
    /// <exception cref="ArgumentException">A fold trains on bars at or after its test range, or test ranges overlap.</exception>
    public WalkForwardTargets(string name, IReadOnlyList<BarFold> folds, Func<BarFold, IAllocator> factory, FeatureFrame frame, PricePanel panel, RiskEstimator? risk)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(folds);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(panel);
        for (var i = 0; i < folds.Count; i++)
        {
            var f = folds[i];
            if (f.TrainEnd > f.TestStart || f.TestEnd <= f.TestStart || (i > 0 && folds[i - 1].TestEnd > f.TestStart))
            {
                throw new ArgumentException($"Fold {f.Index} trains on [{f.TrainStart}, {f.TrainEnd}) and tests on [{f.TestStart}, {f.TestEnd}): training must end before testing starts, and test ranges must increase without overlap.", nameof(folds));
            }
        }

        Name = name;
        _folds = folds;
        _factory = factory;
        _frame = frame;
        _panel = panel;
        _risk = risk;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override bool TryGetTarget(int bar, ReadOnlySpan<double> currentWeights, Span<double> target)
    {
        var fold = -1;
        for (var i = 0; i < _folds.Count && fold < 0; i++)
        {
            if (bar >= _folds[i].TestStart && bar < _folds[i].TestEnd)
            {
                fold = i;
            }
        }

        if (fold < 0)
        {
            return false;
        }

        if (_current?.Fold != fold)
        {
            // Only one fold's model is alive at a time; an ONNX factory can load it from the fold's directory.
            (_current?.Allocator as IDisposable)?.Dispose();
            _current = (fold, _factory(_folds[fold]));
        }

        return AllocatorTargets.Allocate(_current.Value.Allocator, _frame, _panel, _risk, bar, currentWeights, target);
    }
}
