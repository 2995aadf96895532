using Microsoft.ML.Trainers.FastTree;

namespace Predictive.Training.Gbm;

/// <summary>A boosted ensemble: <see cref="Bias"/> plus the sum of every tree's output.</summary>
public sealed class GbmTreeEnsemble
{
    private readonly GbmTree[] _trees;

    /// <summary>Creates an ensemble.</summary>
    public GbmTreeEnsemble(IEnumerable<GbmTree> trees, double bias)
    {
        ArgumentNullException.ThrowIfNull(trees);
        _trees = [.. trees];
        if (!double.IsFinite(bias))
        {
            throw new ArgumentOutOfRangeException(nameof(bias), bias, "the ensemble bias must be finite.");
        }

        Bias = bias;
    }

    /// <summary>The trees, in boosting order.</summary>
    public IReadOnlyList<GbmTree> Trees => _trees;

    /// <summary>The constant added to the trees' sum.</summary>
    public double Bias { get; }

    /// <summary>The largest feature column any tree reads, or -1.</summary>
    public int MaxFeature => _trees.Length == 0 ? -1 : _trees.Max(t => t.MaxFeature);

    /// <summary>The prediction for one row of features.</summary>
    public double Evaluate(ReadOnlySpan<float> row)
    {
        var sum = Bias;
        foreach (var tree in _trees)
        {
            sum += tree.Evaluate(row);
        }

        return sum;
    }

    /// <summary>Copies the structure of a trained ML.NET FastTree ensemble; each tree's weight is folded into its leaves.</summary>
    /// <exception cref="NotSupportedException">A tree uses a categorical split (never trained here: features are numeric).</exception>
    public static GbmTreeEnsemble FromMlNet(RegressionTreeEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var trees = new List<GbmTree>(ensemble.Trees.Count);
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(flag => flag))
            {
                throw new NotSupportedException($"tree {t} has a categorical split; only numerical splits can be exported.");
            }

            var weight = ensemble.TreeWeights[t];
            var leaves = tree.LeafValues.Select(v => v * weight).ToArray();
            trees.Add(new GbmTree(tree.LeftChild, tree.RightChild, tree.NumericalSplitFeatureIndexes, tree.NumericalSplitThresholds, leaves));
        }

        return new GbmTreeEnsemble(trees, ensemble.Bias);
    }
}
