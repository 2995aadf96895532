using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing;

/// <summary>Estimates what moving a portfolio from one weight vector to another would cost on a venue as it stands.</summary>
public interface ITradeCostEstimator
{
    /// <summary>The cost of moving from <paramref name="current"/> to <paramref name="candidate"/> (weights over <paramref name="assets"/>).</summary>
    /// <param name="market">The venue's pools, prices and gas.</param>
    /// <param name="assets">Asset symbols, in weight order (may include the quote asset).</param>
    /// <param name="current">Current weights.</param>
    /// <param name="candidate">Weights to move to.</param>
    /// <param name="portfolioValueQuote">The portfolio's value in quote units.</param>
    RebalanceCost EstimateCost(VenueSnapshot market, IReadOnlyList<string> assets, ReadOnlySpan<double> current, ReadOnlySpan<double> candidate, decimal portfolioValueQuote);
}
