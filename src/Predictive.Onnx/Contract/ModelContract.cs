using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Predictive.Onnx.Contract;

/// <summary>
/// The allocator model contract: inputs <c>features</c> float32 [batch, assets, features] and
/// <c>prev_weights</c> float32 [batch, assets]; output <c>weights</c> float32 [batch, assets] whose rows are
/// ≥ 0 and sum to 1; the metadata keys of <see cref="ModelMetadataKeys.Required"/>.
/// </summary>
public static class ModelContract
{
    /// <summary>The features input.</summary>
    public const string FeaturesInput = "features";

    /// <summary>The previous-weights input.</summary>
    public const string PreviousWeightsInput = "prev_weights";

    /// <summary>The weights output.</summary>
    public const string WeightsOutput = "weights";

    /// <summary>How far a row sum may be from 1 (float32 softmax over tens of assets stays well inside).</summary>
    public const float SumTolerance = 1e-4f;

    /// <summary>Lists everything about a loaded model that breaks the contract; empty when it conforms.</summary>
    public static IReadOnlyList<string> FindProblems(InferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var problems = new List<string>();
        CheckTensor(problems, "input", session.InputMetadata, FeaturesInput, rank: 3);
        CheckTensor(problems, "input", session.InputMetadata, PreviousWeightsInput, rank: 2);
        CheckTensor(problems, "output", session.OutputMetadata, WeightsOutput, rank: 2);
        foreach (var name in session.InputMetadata.Keys)
        {
            if (name is not FeaturesInput and not PreviousWeightsInput)
            {
                problems.Add($"unexpected input '{name}': only '{FeaturesInput}' and '{PreviousWeightsInput}' are fed");
            }
        }

        CheckAssetAxis(problems, session);
        var metadata = session.ModelMetadata.CustomMetadataMap;
        foreach (var key in ModelMetadataKeys.Required)
        {
            if (!metadata.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"metadata '{key}' is missing");
            }
        }

        return problems;
    }

    /// <summary>Throws unless the loaded model conforms.</summary>
    /// <exception cref="ModelContractException">Names every input, output or metadata entry that is wrong.</exception>
    public static void Validate(InferenceSession session)
    {
        var problems = FindProblems(session);
        if (problems.Count > 0)
        {
            throw new ModelContractException("the ONNX model", problems);
        }
    }

    /// <summary>Lists every row of a <c>weights</c> output that is not a long-only allocation.</summary>
    /// <param name="weights">The output, row-major [batch, assets].</param>
    /// <param name="assets">The asset count (row length).</param>
    public static IReadOnlyList<string> FindWeightProblems(ReadOnlySpan<float> weights, int assets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(assets);
        var problems = new List<string>();
        if (weights.Length % assets != 0)
        {
            problems.Add($"'{WeightsOutput}' has {weights.Length} values, not a whole number of rows of {assets} assets");
            return problems;
        }

        for (var row = 0; row < weights.Length / assets; row++)
        {
            var slice = weights.Slice(row * assets, assets);
            double sum = 0;
            for (var a = 0; a < assets; a++)
            {
                if (!float.IsFinite(slice[a]) || slice[a] < 0)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"row {row} asset {a} has weight {slice[a]}; weights must be finite and ≥ 0"));
                }

                sum += slice[a];
            }

            if (Math.Abs(sum - 1) > SumTolerance)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"row {row} sums to {sum:R}; weights must sum to 1"));
            }
        }

        return problems;
    }

    /// <summary>Throws unless every row of a <c>weights</c> output is ≥ 0 and sums to 1.</summary>
    /// <exception cref="ModelContractException">Names each offending row.</exception>
    public static void ValidateWeights(ReadOnlySpan<float> weights, int assets)
    {
        var problems = FindWeightProblems(weights, assets);
        if (problems.Count > 0)
        {
            throw new ModelContractException($"the '{WeightsOutput}' output", problems);
        }
    }

    private static void CheckTensor(List<string> problems, string kind, IReadOnlyDictionary<string, NodeMetadata> values, string name, int rank)
    {
        if (!values.TryGetValue(name, out var meta))
        {
            problems.Add($"{kind} '{name}' is missing");
            return;
        }

        if (meta.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            problems.Add($"{kind} '{name}' is a {meta.OnnxValueType}, not a tensor");
            return;
        }

        if (meta.ElementType != typeof(float))
        {
            problems.Add($"{kind} '{name}' has element type {meta.ElementType.Name}; expected float32");
        }

        if (meta.Dimensions.Length != rank)
        {
            problems.Add($"{kind} '{name}' has rank {meta.Dimensions.Length}; expected {rank}");
        }
    }

    private static void CheckAssetAxis(List<string> problems, InferenceSession session)
    {
        // Fixed-size asset axes (-1 means symbolic) must agree between the two inputs and the output.
        var sizes = new List<(string Name, int Size)>();
        AddAxis(sizes, session.InputMetadata, FeaturesInput, rank: 3);
        AddAxis(sizes, session.InputMetadata, PreviousWeightsInput, rank: 2);
        AddAxis(sizes, session.OutputMetadata, WeightsOutput, rank: 2);
        var fixedSizes = sizes.Where(s => s.Size > 0).ToList();
        if (fixedSizes.Select(s => s.Size).Distinct().Count() > 1)
        {
            problems.Add($"the assets axis disagrees: {string.Join(", ", fixedSizes.Select(s => $"{s.Name}={s.Size}"))}");
        }
    }

    private static void AddAxis(List<(string, int)> sizes, IReadOnlyDictionary<string, NodeMetadata> values, string name, int rank)
    {
        if (values.TryGetValue(name, out var meta) && meta.OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR && meta.Dimensions.Length == rank)
        {
            sizes.Add((name, meta.Dimensions[1]));
        }
    }
}
