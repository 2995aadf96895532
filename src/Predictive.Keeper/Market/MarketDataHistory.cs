using Predictive.Core.Rebalancing.Pipeline;

namespace Predictive.Keeper.Market;

/// <summary>The market data's closes as reference-price history (the risk model's warm-up only; the guards' prices are the oracle's).</summary>
public sealed class MarketDataHistory(IMarketDataSource source, IReadOnlyList<string> assets, string quote) : IReferencePriceSource
{
    /// <inheritdoc />
    public string Name => $"market data ({source.Name})";

    /// <inheritdoc />
    public async Task<ReferencePriceRow> GetAsync(DateTimeOffset time, CancellationToken cancellationToken = default) =>
        await Source(await source.AtAsync(assets, time, cancellationToken).ConfigureAwait(false)).GetAsync(time, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReferencePriceRow>> GetHistoryAsync(DateTimeOffset time, int count, CancellationToken cancellationToken = default) =>
        await Source(await source.AtAsync(assets, time, cancellationToken).ConfigureAwait(false)).GetHistoryAsync(time, count, cancellationToken).ConfigureAwait(false);

    private PanelReferencePrices Source(Core.MarketData.PricePanel panel) => new(panel, assets, quote, Name);
}
