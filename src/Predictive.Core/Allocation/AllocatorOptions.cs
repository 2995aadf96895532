namespace Predictive.Core.Allocation;

/// <summary>Constraints shared by the classical allocators.</summary>
public sealed record AllocatorOptions
{
    /// <summary>Unconstrained: no cap beyond 100 %.</summary>
    public static AllocatorOptions Default { get; } = new();

    /// <summary>
    /// The largest weight any one asset may get, in (0, 1]. The default value is 1 (no cap).
    /// When fewer than 1/<c>MaxWeight</c> assets are available the cap cannot hold and is raised to
    /// 1/(available assets), which gives equal weights.
    /// </summary>
    public double MaxWeight { get; init; } = 1.0;

    /// <summary>The per-bar risk-free return used by <c>max-sharpe</c>. The default value is 0.</summary>
    public double RiskFreeRatePerBar { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(MaxWeight > 0 && MaxWeight <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWeight), MaxWeight, "MaxWeight must be in (0, 1].");
        }

        if (!double.IsFinite(RiskFreeRatePerBar))
        {
            throw new ArgumentOutOfRangeException(nameof(RiskFreeRatePerBar), RiskFreeRatePerBar, "RiskFreeRatePerBar must be finite.");
        }
    }
}
