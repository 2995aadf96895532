using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>Reference prices of the assets at one time, in quote units per token.</summary>
/// <param name="Time">When the prices hold (a bar's close, an oracle round's update).</param>
/// <param name="Prices">Symbol → price; an asset without a price now is absent.</param>
public sealed record ReferencePriceRow(DateTimeOffset Time, IReadOnlyDictionary<string, double> Prices)
{
    /// <summary>
    /// What the source found wrong with these prices (an oracle's hygiene checks); empty when nothing. A faulty row may
    /// still price every asset, for valuing holdings; the pipeline's <see cref="Guards.ReferenceHygieneGuard"/> refuses to
    /// trade on it and names each fault in the decision.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<ReferenceFault> Faults { get; init; } = [];
}

/// <summary>
/// The seam the reference (oracle) prices come through. Guards compare pools with these prices and the risk model
/// reads their returns, so they must come from somewhere an attacker who moves a pool does not control. In a backtest
/// the simulated venue's reference prices are the data's closes and no source is needed; live, a source replaces the
/// prices the venue would report (an on-chain venue knows only its pools).
/// </summary>
public interface IReferencePriceSource
{
    /// <summary>Where the prices come from, for decisions and errors.</summary>
    string Name { get; }

    /// <summary>The latest prices at or before <paramref name="time"/>, with any fault the source found in them (<see cref="ReferencePriceRow.Faults"/>).</summary>
    /// <exception cref="InvalidOperationException">The source has no prices at or before that time.</exception>
    Task<ReferencePriceRow> GetAsync(DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="count"/> rows ending with the latest at or before <paramref name="time"/>, oldest first
    /// (fewer when the source has fewer); the live risk model starts from them before the keeper has seen as many bars.
    /// </summary>
    Task<IReadOnlyList<ReferencePriceRow>> GetHistoryAsync(DateTimeOffset time, int count, CancellationToken cancellationToken = default);
}
