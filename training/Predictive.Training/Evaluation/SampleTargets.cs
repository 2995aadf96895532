using Predictive.Core.Backtesting;
using Predictive.Training.Data;

namespace Predictive.Training.Evaluation;

/// <summary>
/// A <see cref="WeightPolicy"/> as the allocator stage of a backtest: at a panel bar that is a sample of the range it
/// asks the policy, handing it the weights the backtest's portfolio holds; at any other bar it keeps the last target.
/// </summary>
internal sealed class SampleTargets : TargetSchedule
{
    private readonly WeightPolicy _policy;
    private readonly int[] _sampleOfBar;
    private readonly float[] _held;
    private readonly float[] _weights;

    public SampleTargets(string name, TrainingDataset data, SampleRange range, WeightPolicy policy)
    {
        Name = name;
        _policy = policy;
        _sampleOfBar = new int[data.Panel.BarCount];
        Array.Fill(_sampleOfBar, -1);
        for (var s = range.Start; s < range.End; s++)
        {
            _sampleOfBar[data.Bar(s)] = s;
        }

        _held = new float[data.AssetCount];
        _weights = new float[data.AssetCount];
    }

    public override string Name { get; }

    public override bool TryGetTarget(int bar, ReadOnlySpan<double> currentWeights, Span<double> target)
    {
        var sample = _sampleOfBar[bar];
        if (sample < 0)
        {
            return false;
        }

        for (var a = 0; a < _held.Length; a++)
        {
            _held[a] = double.IsFinite(currentWeights[a]) ? (float)currentWeights[a] : 0f;
        }

        _weights.AsSpan().Clear();
        _policy(sample, _held, _weights);
        double sum = 0;
        foreach (var w in _weights)
        {
            sum += w;
        }

        // float weights sum to 1 within ~1e-7; the backtester wants doubles that do.
        for (var a = 0; a < _weights.Length; a++)
        {
            target[a] = sum > 0 ? _weights[a] / sum : _weights[a];
        }

        return true;
    }
}
