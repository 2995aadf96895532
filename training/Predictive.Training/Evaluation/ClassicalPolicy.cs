using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;
using Predictive.Training.Data;

namespace Predictive.Training.Evaluation;

/// <summary>
/// A classical allocator as a <see cref="WeightPolicy"/>: at each sample it sees the dataset's features at the
/// decision bar, the weights held, and a risk estimate from closes up to that bar; never anything later.
/// </summary>
/// <remarks>
/// <para>Assets the dataset marks unavailable, and (for allocators that need risk) assets without a usable estimate,
/// get weight 0. 1/N is given no estimate, so it stays exactly the trainer's equal-weight benchmark.</para>
/// <para>When the allocator cannot allocate at a bar (no asset with a usable estimate, or a solver failure), the
/// policy falls back to equal weights over the available assets and counts it in <see cref="Fallbacks"/>.</para>
/// </remarks>
public sealed class ClassicalPolicy
{
    private readonly IAllocator _allocator;
    private readonly TrainingDataset _data;
    private readonly RiskCache? _risk;
    private readonly double[] _features;
    private readonly double[] _held;

    /// <summary>Creates the policy.</summary>
    /// <param name="allocator">The allocator.</param>
    /// <param name="panel">The panel <paramref name="data"/> was built from.</param>
    /// <param name="data">The samples.</param>
    /// <param name="risk">A risk cache over <paramref name="panel"/>, shared between policies; null creates one.</param>
    /// <exception cref="ArgumentException">The dataset was not built from the panel.</exception>
    public ClassicalPolicy(IAllocator allocator, PricePanel panel, TrainingDataset data, RiskCache? risk = null)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureBuiltFrom(panel, nameof(data));
        _allocator = allocator;
        _data = data;
        _risk = allocator is EqualWeightAllocator ? null : risk ?? new RiskCache(panel);
        _features = new double[data.AssetCount * data.FeatureCount];
        _held = new double[data.AssetCount];
    }

    /// <summary>The allocator's name.</summary>
    public string Name => _allocator.Name;

    /// <summary>Decisions that fell back to equal weights because the allocator could not allocate.</summary>
    public int Fallbacks { get; private set; }

    /// <summary>Chooses the weights of <paramref name="sample"/>; matches <see cref="WeightPolicy"/>.</summary>
    public void Decide(int sample, ReadOnlySpan<float> held, Span<float> weights)
    {
        var row = _data.FeatureRow(sample);
        for (var i = 0; i < row.Length; i++)
        {
            _features[i] = row[i];
        }

        for (var a = 0; a < held.Length; a++)
        {
            _held[a] = held[a];
        }

        var risk = _risk?.At(_data.Bar(sample));
        var input = AllocationInputs.Create(_data.Assets, _data.FeatureNames, _features, _data.MaskRow(sample), _held, risk);
        double[] w;
        try
        {
            w = _allocator.Allocate(input);
        }
        catch (AllocationException)
        {
            // A bar where the method has no answer (say, every available asset is too young for the risk window) is
            // still a bar the portfolio must hold something; 1/N is the neutral choice and is counted, not hidden.
            Fallbacks++;
            _data.EqualWeightsInto(sample, weights);
            return;
        }

        for (var a = 0; a < w.Length; a++)
        {
            weights[a] = (float)w[a];
        }
    }
}
