namespace Predictive.Onnx.Graph;

/// <summary>Structural checks that ONNX Runtime would otherwise report far from the code that built the graph.</summary>
internal static class OnnxGraphValidator
{
    public static List<string> FindProblems(OnnxModelBuilder.State state)
    {
        var problems = new List<string>();
        var defined = new HashSet<string>(StringComparer.Ordinal);

        foreach (var input in state.Inputs)
        {
            if (!defined.Add(input.Name))
            {
                problems.Add($"input '{input.Name}' is declared twice");
            }
        }

        foreach (var tensor in state.Initializers)
        {
            if (!defined.Add(tensor.Name))
            {
                problems.Add($"initializer '{tensor.Name}' reuses a name already defined");
            }
        }

        var nodeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in state.Nodes)
        {
            if (!nodeNames.Add(node.Name))
            {
                problems.Add($"node name '{node.Name}' is used twice");
            }

            if (!state.Opsets.ContainsKey(node.Domain))
            {
                problems.Add($"node '{node.Name}' ({node.OpType}) uses domain '{node.Domain}', which is not imported");
            }

            foreach (var input in node.Inputs)
            {
                if (input.Length > 0 && !defined.Contains(input))
                {
                    problems.Add($"node '{node.Name}' ({node.OpType}) reads '{input}' before anything defines it");
                }
            }

            if (node.Outputs.Count == 0)
            {
                problems.Add($"node '{node.Name}' ({node.OpType}) has no outputs");
            }

            foreach (var output in node.Outputs)
            {
                if (output.Length > 0 && !defined.Add(output))
                {
                    problems.Add($"node '{node.Name}' ({node.OpType}) redefines '{output}'");
                }
            }
        }

        foreach (var output in state.Outputs)
        {
            if (!defined.Contains(output.Name))
            {
                problems.Add($"output '{output.Name}' is produced by no node");
            }
        }

        if (state.Outputs.Count == 0)
        {
            problems.Add("the graph declares no outputs");
        }

        return problems;
    }
}
