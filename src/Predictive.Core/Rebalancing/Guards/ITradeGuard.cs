namespace Predictive.Core.Rebalancing.Guards;

/// <summary>A safety check run before trading; when any guard fires, nothing trades at that bar.</summary>
public interface ITradeGuard
{
    /// <summary>The guard's name.</summary>
    string Name { get; }

    /// <summary>Checks the market at the context's bar.</summary>
    GuardResult Check(RebalanceContext context);
}
