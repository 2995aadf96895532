using System.Globalization;

namespace Predictive.Core.Rebalancing.Guards;

/// <summary>
/// Oracle hygiene as a guard: fires when the reference prices of the bar carry any fault their source found
/// (<see cref="Venues.VenueSnapshot.ReferenceFaults"/>: a stale, non-positive, out-of-range or unanswered feed, or a feed
/// that disagrees with the pools' TWAP). Any fault means no trade at all, since every guard, the valuation and the risk
/// model read those prices. The detail names each faulty source and the check it failed. The composition adds this
/// guard whenever it reads prices from an <see cref="Pipeline.IReferencePriceSource"/>, so a decision record carries
/// the source's verdict beside the other guards'; a source without faults (market data) always passes it.
/// </summary>
public sealed class ReferenceHygieneGuard : ITradeGuard
{
    /// <summary>The guard's name in decisions.</summary>
    public const string GuardName = "oracle";

    /// <inheritdoc />
    public string Name => GuardName;

    /// <inheritdoc />
    public GuardResult Check(RebalanceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var faults = context.Market.ReferenceFaults;
        if (faults.Count == 0)
        {
            return new GuardResult(Name, false, string.Create(CultureInfo.InvariantCulture, $"every reference price passed its source's checks at {context.Market.Time:O}."), null, 0, 0);
        }

        var detail = string.Join(" ", faults.Select(f => f.Detail));
        return new GuardResult(Name, true, detail, faults[0].Asset, faults.Count, 0);
    }
}
