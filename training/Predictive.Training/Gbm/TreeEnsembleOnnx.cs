using Predictive.Onnx.Graph;

namespace Predictive.Training.Gbm;

/// <summary>
/// Writes a <see cref="GbmTreeEnsemble"/> as the attributes of an <c>ai.onnx.ml</c> (opset 3)
/// <c>TreeEnsembleRegressor</c> with one target. Split node <c>i</c> keeps id <c>i</c>; leaf <c>l</c> of a tree with
/// <c>s</c> splits gets id <c>s + l</c>. ML.NET's "≤ goes left" is <c>BRANCH_LEQ</c> with the left child as true branch.
/// </summary>
internal static class TreeEnsembleOnnx
{
    public const string OpType = "TreeEnsembleRegressor";

    public static IReadOnlyList<OnnxAttribute> Attributes(GbmTreeEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var treeIds = new List<long>();
        var nodeIds = new List<long>();
        var featureIds = new List<long>();
        var values = new List<float>();
        var modes = new List<string>();
        var trueIds = new List<long>();
        var falseIds = new List<long>();
        var targetTrees = new List<long>();
        var targetNodes = new List<long>();
        var targetWeights = new List<float>();
        for (var t = 0; t < ensemble.Trees.Count; t++)
        {
            var tree = ensemble.Trees[t];
            var splits = tree.SplitCount;
            long Id(int child) => child >= 0 ? child : splits + ~child;
            for (var i = 0; i < splits; i++)
            {
                treeIds.Add(t);
                nodeIds.Add(i);
                featureIds.Add(tree.Feature[i]);
                values.Add(tree.Threshold[i]);
                modes.Add("BRANCH_LEQ");
                trueIds.Add(Id(tree.LeftChild[i]));
                falseIds.Add(Id(tree.RightChild[i]));
            }

            for (var leaf = 0; leaf < tree.LeafCount; leaf++)
            {
                treeIds.Add(t);
                nodeIds.Add(splits + leaf);
                featureIds.Add(0);
                values.Add(0);
                modes.Add("LEAF");
                trueIds.Add(0);
                falseIds.Add(0);
                targetTrees.Add(t);
                targetNodes.Add(splits + leaf);
                targetWeights.Add((float)tree.LeafValues[leaf]);
            }
        }

        if (treeIds.Count == 0)
        {
            // An ensemble without trees still needs one node: a single leaf worth 0, so the output is the bias.
            treeIds.Add(0);
            nodeIds.Add(0);
            featureIds.Add(0);
            values.Add(0);
            modes.Add("LEAF");
            trueIds.Add(0);
            falseIds.Add(0);
            targetTrees.Add(0);
            targetNodes.Add(0);
            targetWeights.Add(0);
        }

        return
        [
            OnnxAttribute.Int("n_targets", 1),
            OnnxAttribute.Ints("nodes_treeids", treeIds),
            OnnxAttribute.Ints("nodes_nodeids", nodeIds),
            OnnxAttribute.Ints("nodes_featureids", featureIds),
            OnnxAttribute.Floats("nodes_values", values),
            OnnxAttribute.Strings("nodes_modes", modes),
            OnnxAttribute.Ints("nodes_truenodeids", trueIds),
            OnnxAttribute.Ints("nodes_falsenodeids", falseIds),
            OnnxAttribute.Ints("target_treeids", targetTrees),
            OnnxAttribute.Ints("target_nodeids", targetNodes),
            OnnxAttribute.Ints("target_ids", targetTrees.Select(_ => 0L)),
            OnnxAttribute.Floats("target_weights", targetWeights),
            OnnxAttribute.Floats("base_values", (float)ensemble.Bias),
            OnnxAttribute.String("aggregate_function", "SUM"),
            OnnxAttribute.String("post_transform", "NONE"),
        ];
    }
}
