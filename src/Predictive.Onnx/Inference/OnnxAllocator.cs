using Predictive.Core.Allocation;

namespace Predictive.Onnx.Inference;

/// <summary>
/// An <see cref="IAllocator"/> backed by an ONNX model: features [assets, features] and previous weights in, weights
/// out. Unavailable assets (not listed yet, or without a price beyond the data's forward-fill limit: docs/backtesting.md,
/// "Assets that stop trading") are fed zero features, get weight 0, and the rest is renormalized. The allocator borrows
/// the model: whoever owns the model keeps it alive while the allocator is used.
/// </summary>
public sealed class OnnxAllocator : IAllocator
{
    private readonly OnnxAllocatorModel _model;

    /// <summary>Creates the allocator over a loaded model.</summary>
    public OnnxAllocator(OnnxAllocatorModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <inheritdoc/>
    public string Name => $"onnx:{_model.Key}";

    /// <inheritdoc/>
    /// <exception cref="AllocationException">The feature columns differ from the model's spec, or the model's output is invalid.</exception>
    public double[] Allocate(AllocationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var expected = _model.FeatureSpec.FeatureNames;
        if (!input.FeatureNames.SequenceEqual(expected, StringComparer.Ordinal))
        {
            throw new AllocationException($"features are [{string.Join(", ", input.FeatureNames)}] but model '{_model.Key}' was trained on [{string.Join(", ", expected)}].");
        }

        var n = input.AssetCount;
        var f = input.FeatureCount;
        var available = input.Available;
        if (!available.Contains(true))
        {
            throw new AllocationException("no asset is available; an allocation needs at least one.");
        }

        var features = new float[n * f];
        var previous = new float[n];
        for (var a = 0; a < n; a++)
        {
            previous[a] = (float)input.PreviousWeights[a];
            if (!available[a])
            {
                continue;
            }

            for (var k = 0; k < f; k++)
            {
                features[(a * f) + k] = (float)input.Feature(a, k);
            }
        }

        double[] weights;
        try
        {
            weights = BatchAllocator.Allocate(_model, [new PortfolioInput(features, previous)])[0];
        }
        catch (ModelOutputException e)
        {
            throw new AllocationException(e.Message, e);
        }

        double kept = 0;
        for (var a = 0; a < n; a++)
        {
            if (!available[a])
            {
                weights[a] = 0;
            }

            kept += weights[a];
        }

        if (!(kept > 0))
        {
            throw new AllocationException($"model '{_model.Key}' put all weight on unavailable assets.");
        }

        for (var a = 0; a < n; a++)
        {
            weights[a] /= kept;
        }

        return weights;
    }
}
