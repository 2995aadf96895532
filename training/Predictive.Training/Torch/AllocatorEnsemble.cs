using Predictive.Training.Data;
using Predictive.Training.Evaluation;

namespace Predictive.Training.Torch;

/// <summary>
/// An ensemble of trained networks (seeds or folds): its weights are the mean of its members' weights, each member
/// seeing the same features and the weights the ensemble holds. A mean of long-only vectors that sum to 1 is one too.
/// </summary>
/// <remarks>The ensemble does not own its members; the caller disposes them.</remarks>
public sealed class AllocatorEnsemble
{
    private readonly AllocatorNetwork[] _members;
    private float[] _scratch = [];

    /// <summary>Creates the ensemble.</summary>
    /// <exception cref="ArgumentException">No member, or members of different feature counts.</exception>
    public AllocatorEnsemble(IReadOnlyList<AllocatorNetwork> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0)
        {
            throw new ArgumentException("an ensemble needs at least one member.", nameof(members));
        }

        if (members.Any(m => m.FeatureCount != members[0].FeatureCount))
        {
            throw new ArgumentException("every member must take the same features.", nameof(members));
        }

        _members = [.. members];
    }

    /// <summary>The members.</summary>
    public IReadOnlyList<AllocatorNetwork> Members => _members;

    /// <summary>The mean of the members' weights (<see cref="AllocatorNetwork.Predict"/> for each, same inputs).</summary>
    public void Predict(ReadOnlySpan<float> features, ReadOnlySpan<bool> mask, ReadOnlySpan<float> held, int batch, Span<float> weights)
    {
        if (_scratch.Length != weights.Length)
        {
            _scratch = new float[weights.Length];
        }

        weights.Clear();
        foreach (var member in _members)
        {
            member.eval();
            member.Predict(features, mask, held, batch, _scratch);
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] += _scratch[i];
            }
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= _members.Length;
        }
    }

    /// <summary>The ensemble as a policy over <paramref name="data"/>'s samples (for <see cref="SampleBacktester"/>).</summary>
    public WeightPolicy Policy(TrainingDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return (sample, held, weights) => Predict(data.FeatureRow(sample), data.MaskRow(sample), held, 1, weights);
    }
}
