namespace Predictive.Core.Allocation;

/// <summary>
/// Turns what is known at one bar (features, previous weights, a risk estimate) into target weights.
/// Classical allocators and learned ONNX models both implement it.
/// </summary>
public interface IAllocator
{
    /// <summary>The allocator's stable name (for example <c>risk-parity</c>), used by the CLI and in reports.</summary>
    string Name { get; }

    /// <summary>
    /// Computes long-only target weights: one per asset of <paramref name="input"/>, each ≥ 0, summing to 1,
    /// and 0 for every asset that is not <see cref="AllocationInput.Available"/> (not listed yet, or without a price
    /// beyond the data's forward-fill limit: docs/backtesting.md, "Assets that stop trading").
    /// </summary>
    /// <exception cref="AllocationException">The input lacks what this allocator needs (for example a risk estimate).</exception>
    double[] Allocate(AllocationInput input);
}
