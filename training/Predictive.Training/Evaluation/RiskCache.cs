using Predictive.Core.Allocation;
using Predictive.Core.Features;
using Predictive.Core.MarketData;

namespace Predictive.Training.Evaluation;

/// <summary>
/// Risk estimates per panel bar, computed on first use and kept, so several allocators judged on the same bars pay for
/// each estimate once. Each estimate reads only closes up to its bar (<see cref="RiskEstimator"/>).
/// </summary>
/// <remarks>Not thread-safe: one cache per evaluation run.</remarks>
public sealed class RiskCache
{
    private readonly PricePanel _panel;
    private readonly RiskEstimator _estimator;
    private readonly Dictionary<int, RiskEstimate> _byBar = [];

    /// <summary>Creates a cache over <paramref name="panel"/>.</summary>
    /// <param name="panel">The prices.</param>
    /// <param name="estimator">The estimator; null means a 90-bar window with the default mean shrinkage.</param>
    public RiskCache(PricePanel panel, RiskEstimator? estimator = null)
    {
        ArgumentNullException.ThrowIfNull(panel);
        _panel = panel;
        _estimator = estimator ?? new RiskEstimator(window: 90);
    }

    /// <summary>How many distinct bars have been estimated.</summary>
    public int Count => _byBar.Count;

    /// <summary>The estimate at <paramref name="bar"/> (from closes at bars ≤ <paramref name="bar"/> only).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bar is outside the panel.</exception>
    public RiskEstimate At(int bar)
    {
        if (!_byBar.TryGetValue(bar, out var risk))
        {
            risk = _estimator.Estimate(_panel, bar);
            _byBar.Add(bar, risk);
        }

        return risk;
    }
}
