using Predictive.Core.Venues;

namespace Predictive.Core.Rebalancing.Guards;

/// <summary>
/// Which assets a guard looks at: those held or targeted, except the quote asset and assets the venue cannot trade now
/// (they stopped trading or lost their pool: the planner leaves them alone, see docs/backtesting.md), whose missing
/// pool would otherwise block every other trade.
/// </summary>
internal static class GuardAssets
{
    public static IEnumerable<string> Relevant(RebalanceContext context)
    {
        for (var i = 0; i < context.Assets.Count; i++)
        {
            var asset = context.Assets[i];
            if (asset != context.Market.QuoteAsset && context.Market.CanTrade(asset) && (context.CurrentWeights[i] > 0 || context.TargetWeights[i] > 0))
            {
                yield return asset;
            }
        }
    }

    /// <summary>The snapshots of the last <paramref name="bars"/> bars ending with the current one, oldest first.</summary>
    public static IReadOnlyList<VenueSnapshot> Window(RebalanceContext context, int bars)
    {
        var history = context.History;
        var take = Math.Min(history.Count, bars - 1);
        var window = new List<VenueSnapshot>(take + 1);
        for (var k = history.Count - take; k < history.Count; k++)
        {
            window.Add(history[k]);
        }

        window.Add(context.Market);
        return window;
    }
}
