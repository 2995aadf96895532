namespace Predictive.Training.Gbm;

/// <summary>
/// One regression tree, in ML.NET's layout: internal node <c>i</c> sends a row to <see cref="LeftChild"/>[i] when
/// <c>row[Feature[i]] ≤ Threshold[i]</c>, else to <see cref="RightChild"/>[i]; a negative child <c>c</c> is leaf <c>~c</c>.
/// A tree without splits is a single leaf.
/// </summary>
public sealed class GbmTree
{
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly double[] _leafValues;

    /// <summary>Creates a tree; arrays are copied.</summary>
    /// <exception cref="ArgumentException">The arrays disagree in length or a child points outside the tree.</exception>
    public GbmTree(IReadOnlyList<int> left, IReadOnlyList<int> right, IReadOnlyList<int> feature, IReadOnlyList<float> threshold, IReadOnlyList<double> leafValues)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        ArgumentNullException.ThrowIfNull(feature);
        ArgumentNullException.ThrowIfNull(threshold);
        ArgumentNullException.ThrowIfNull(leafValues);
        _left = [.. left];
        _right = [.. right];
        _feature = [.. feature];
        _threshold = [.. threshold];
        _leafValues = [.. leafValues];
        var nodes = _left.Length;
        if (_right.Length != nodes || _feature.Length != nodes || _threshold.Length != nodes)
        {
            throw new ArgumentException($"a tree needs one right child, feature and threshold per node: got {nodes} left, {_right.Length} right, {_feature.Length} features, {_threshold.Length} thresholds.", nameof(right));
        }

        if (_leafValues.Length != nodes + 1)
        {
            throw new ArgumentException($"a binary tree with {nodes} splits has {nodes + 1} leaves; got {_leafValues.Length} leaf values.", nameof(leafValues));
        }

        for (var i = 0; i < nodes; i++)
        {
            CheckChild(_left[i], i, nodes);
            CheckChild(_right[i], i, nodes);
            if (_feature[i] < 0)
            {
                throw new ArgumentException($"node {i} splits on feature {_feature[i]}.", nameof(feature));
            }
        }
    }

    /// <summary>The number of internal (split) nodes.</summary>
    public int SplitCount => _left.Length;

    /// <summary>The number of leaves (<see cref="SplitCount"/> + 1).</summary>
    public int LeafCount => _leafValues.Length;

    /// <summary>Left (≤) child of each split node; negative values are <c>~leaf</c>.</summary>
    public IReadOnlyList<int> LeftChild => _left;

    /// <summary>Right (&gt;) child of each split node; negative values are <c>~leaf</c>.</summary>
    public IReadOnlyList<int> RightChild => _right;

    /// <summary>The feature column each split node tests.</summary>
    public IReadOnlyList<int> Feature => _feature;

    /// <summary>The threshold each split node compares with (≤ goes left).</summary>
    public IReadOnlyList<float> Threshold => _threshold;

    /// <summary>The output of each leaf, with the tree's weight already applied.</summary>
    public IReadOnlyList<double> LeafValues => _leafValues;

    /// <summary>The largest feature column any split reads, or -1 for a single leaf.</summary>
    public int MaxFeature => _feature.Length == 0 ? -1 : _feature.Max();

    /// <summary>The output for one row of features.</summary>
    public double Evaluate(ReadOnlySpan<float> row)
    {
        if (_left.Length == 0)
        {
            return _leafValues[0];
        }

        var node = 0;
        while (node >= 0)
        {
            // NaN compares false, so it goes right, as in ML.NET; callers replace NaN before this anyway.
            node = row[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
        }

        return _leafValues[~node];
    }

    private static void CheckChild(int child, int node, int nodes)
    {
        if (child >= nodes || ~child >= nodes + 1 || child == 0)
        {
            throw new ArgumentException($"node {node} has child {child}, outside a tree of {nodes} splits.", nameof(child));
        }
    }
}
