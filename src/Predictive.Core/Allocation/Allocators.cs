namespace Predictive.Core.Allocation;

/// <summary>The classical allocators by their stable names.</summary>
public static class Allocators
{
    private static readonly Dictionary<string, Func<AllocatorOptions?, IAllocator>> Factories = new(StringComparer.Ordinal)
    {
        ["equal"] = o => new EqualWeightAllocator(o),
        ["inverse-vol"] = o => new InverseVolatilityAllocator(o),
        ["risk-parity"] = o => new RiskParityAllocator(o),
        ["min-variance"] = o => new MinimumVarianceAllocator(o),
        ["max-sharpe"] = o => new MaximumSharpeAllocator(o),
        ["hrp"] = o => new HierarchicalRiskParityAllocator(o),
    };

    /// <summary>The names, in a stable order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["equal", "inverse-vol", "risk-parity", "min-variance", "max-sharpe", "hrp"];

    /// <summary>Creates the allocator called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No allocator has that name; the message lists the names.</exception>
    public static IAllocator Create(string name, AllocatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Factories.TryGetValue(name, out var f)
            ? f(options)
            : throw new ArgumentException($"Unknown allocator '{name}'. Known allocators: {string.Join(", ", Names)}.", nameof(name));
    }
}
