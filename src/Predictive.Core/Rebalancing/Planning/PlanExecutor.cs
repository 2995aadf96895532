using System.Globalization;
using Predictive.Core.Rebalancing.Costs;
using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Planning;

/// <summary>The outcome of executing the swaps due at one bar.</summary>
/// <param name="Holdings">Holdings after the fills.</param>
/// <param name="Fills">The venue's fills, in order.</param>
/// <param name="Notes">Swaps skipped or shrunk, and why.</param>
public sealed record PlanExecution(Holdings Holdings, IReadOnlyList<SwapFill> Fills, IReadOnlyList<string> Notes);

/// <summary>
/// Sends a plan's swaps to a venue bar by bar. Swaps due now go as planned; a later slice is re-quoted when it comes
/// due, its minimum output reset from the fresh quote, and it is skipped if its impact now breaks the limit.
/// An order is never larger than what is held of its input.
/// </summary>
public sealed class PlanExecutor
{

    private readonly IVenue _venue;
    private readonly SwapCostModel _costs;
    private readonly TradePlannerOptions _options;

    /// <summary>Creates the executor.</summary>
    public PlanExecutor(IVenue venue, SwapCostModel costs, TradePlannerOptions options)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(options);
        _venue = venue;
        _costs = costs;
        _options = options;
    }

    /// <summary>Executes the swaps of <paramref name="plan"/> due at <paramref name="barOffset"/>, sending every one.</summary>
    public Task<PlanExecution> ExecuteAsync(TradePlan plan, int barOffset, Holdings holdings, CancellationToken cancellationToken = default) =>
        ExecuteAsync(plan, barOffset, holdings, null, cancellationToken);

    /// <summary>A swap scaled down to at most this fraction of its planned amount is rounding residue and is not sent.</summary>
    public const decimal ResidueFraction = 0.000001m;

    /// <summary>Executes the swaps of <paramref name="plan"/> due at <paramref name="barOffset"/>.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="barOffset">Bars since the plan was made.</param>
    /// <param name="holdings">What is held now.</param>
    /// <param name="market">
    /// The venue now, when the caller has it: a swap whose pair it no longer trades (an asset that stopped trading, a
    /// pool that vanished) is skipped with a note instead of being sent. Null sends every due swap.
    /// </param>
    /// <param name="cancellationToken">Cancels between swaps.</param>
    public async Task<PlanExecution> ExecuteAsync(TradePlan plan, int barOffset, Holdings holdings, VenueSnapshot? market, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(holdings);
        var fills = new List<SwapFill>();
        var notes = new List<string>();
        foreach (var swap in plan.Due(barOffset))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var order = swap.Order;
            if (market is not null && !market.TryGetPool(order.AssetIn, order.AssetOut, out _))
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{order.AssetIn}→{order.AssetOut} slice {swap.Slice}: the venue no longer trades this pair at {market.Time:O} (the asset stopped trading); skipped."));
                continue;
            }

            var held = holdings.Quantity(order.AssetIn);
            if (held < order.AmountIn)
            {
                // Less than a millionth of the planned amount left is rounding residue (a live vault's base units after
                // earlier fills), not a trade: sending it would pay a swap's gas for nothing.
                if (held <= order.AmountIn * ResidueFraction)
                {
                    notes.Add(held <= 0
                        ? $"{order.AssetIn}→{order.AssetOut}: nothing held to sell; skipped."
                        : string.Create(CultureInfo.InvariantCulture, $"{order.AssetIn}→{order.AssetOut}: only {held} left of {order.AmountIn} planned (rounding residue); skipped."));
                    continue;
                }

                var scaled = order.MinAmountOut * held / order.AmountIn;
                order = order with { AmountIn = held, MinAmountOut = scaled };
            }

            if (barOffset > 0)
            {
                var quote = await _venue.QuoteAsync(order with { MinAmountOut = 0 }, cancellationToken);
                if (quote.Cost.PriceImpactBps > _options.MaxPriceImpactBps)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"{order.AssetIn}→{order.AssetOut} slice {swap.Slice}: impact now {quote.Cost.PriceImpactBps:F1} bps exceeds {_options.MaxPriceImpactBps} bps; skipped."));
                    continue;
                }

                order = order with { MinAmountOut = _costs.MinimumOutput(quote.Cost.AmountOut) };
            }

            var fill = await _venue.ExecuteAsync(order, cancellationToken);
            holdings = holdings.Apply(fill, _venue.QuoteAsset);
            fills.Add(fill);
        }

        return new PlanExecution(holdings, fills, notes);
    }
}
