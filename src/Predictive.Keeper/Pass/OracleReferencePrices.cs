using Predictive.Core.Rebalancing.Pipeline;

namespace Predictive.Keeper.Pass;

/// <summary>
/// The pass's reference prices: the oracle's prices now (what the guards compare the pools with), and before them the
/// history of another source (the market data) only to warm up the risk model until the live state holds a window of
/// its own. Nothing the guards check comes from the history.
/// </summary>
public sealed class OracleReferencePrices : IReferencePriceSource
{
    private readonly ReferencePriceRow _now;
    private readonly IReferencePriceSource? _history;

    /// <summary>Creates the source.</summary>
    /// <param name="time">When the oracle answered (the chain head's time).</param>
    /// <param name="prices">The oracle's prices in quote units.</param>
    /// <param name="history">The risk model's warm-up history, or null.</param>
    public OracleReferencePrices(DateTimeOffset time, IReadOnlyDictionary<string, decimal> prices, IReferencePriceSource? history)
    {
        ArgumentNullException.ThrowIfNull(prices);
        _now = new ReferencePriceRow(time, prices.ToDictionary(p => p.Key, p => (double)p.Value, StringComparer.Ordinal));
        _history = history;
        Name = history is null ? "oracle feeds" : $"oracle feeds (risk warm-up from {history.Name})";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<ReferencePriceRow> GetAsync(DateTimeOffset time, CancellationToken cancellationToken = default) => Task.FromResult(_now with { Time = time });

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReferencePriceRow>> GetHistoryAsync(DateTimeOffset time, int count, CancellationToken cancellationToken = default)
    {
        if (_history is null || count < 2)
        {
            return [_now with { Time = time }];
        }

        var past = await _history.GetHistoryAsync(time, count, cancellationToken).ConfigureAwait(false);
        return [.. past.Where(r => r.Time < time).TakeLast(count - 1), _now with { Time = time }];
    }
}
