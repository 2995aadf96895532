using Predictive.Core.Allocation;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing;

/// <summary>Everything a policy and its guards may use at one bar: an immutable snapshot, nothing from later bars.</summary>
public sealed record RebalanceContext
{
    /// <summary>The bar index of the decision (calendar policies count bars with it).</summary>
    public required int Bar { get; init; }

    /// <summary>Asset symbols, in weight order; may include the quote asset (cash).</summary>
    public required IReadOnlyList<string> Assets { get; init; }

    /// <summary>Weights held now (at reference prices), summing to 1.</summary>
    public required double[] CurrentWeights { get; init; }

    /// <summary>The allocator's target weights, summing to 1.</summary>
    public required double[] TargetWeights { get; init; }

    /// <summary>The portfolio's value in quote units.</summary>
    public required decimal PortfolioValueQuote { get; init; }

    /// <summary>The venue now: pools, reference prices, gas.</summary>
    public required VenueSnapshot Market { get; init; }

    /// <summary>The risk model over <see cref="Assets"/>, when one was estimated (the cost-aware policy needs it).</summary>
    public RiskEstimate? Risk { get; init; }

    /// <summary>Earlier venue snapshots, oldest first, not including <see cref="Market"/> (guards read liquidity and price history here).</summary>
    public IReadOnlyList<VenueSnapshot> History { get; init; } = [];

    /// <summary>The decision time.</summary>
    public DateTimeOffset Time => Market.Time;

    /// <summary>Throws when the shapes disagree.</summary>
    /// <exception cref="ArgumentException">A weight vector does not have one value per asset, or a weight is not finite.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Assets);
        ArgumentNullException.ThrowIfNull(Market);
        Check(CurrentWeights, nameof(CurrentWeights));
        Check(TargetWeights, nameof(TargetWeights));
        if (Risk is not null && Risk.AssetCount != Assets.Count)
        {
            throw new ArgumentException($"The risk model covers {Risk.AssetCount} assets; the context has {Assets.Count}.", nameof(Risk));
        }

        if (PortfolioValueQuote < 0)
        {
            throw new ArgumentException($"PortfolioValueQuote is {PortfolioValueQuote}; it cannot be negative.", nameof(PortfolioValueQuote));
        }
    }

    private void Check(double[] w, string name)
    {
        ArgumentNullException.ThrowIfNull(w, name);
        if (w.Length != Assets.Count)
        {
            throw new ArgumentException($"{name} has {w.Length} values; the context has {Assets.Count} assets.", name);
        }

        foreach (var x in w)
        {
            if (!double.IsFinite(x))
            {
                throw new ArgumentException($"{name} holds {x}; weights must be finite.", name);
            }
        }
    }
}
