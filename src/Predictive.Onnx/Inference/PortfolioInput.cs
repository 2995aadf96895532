namespace Predictive.Onnx.Inference;

/// <summary>One portfolio of a batch: its features [assets, features] in the model's feature order and its current weights.</summary>
/// <param name="Features">Row-major [assets, features].</param>
/// <param name="PreviousWeights">One weight per asset.</param>
public readonly record struct PortfolioInput(ReadOnlyMemory<float> Features, ReadOnlyMemory<float> PreviousWeights)
{
    /// <summary>The number of assets.</summary>
    public int Assets => PreviousWeights.Length;
}
