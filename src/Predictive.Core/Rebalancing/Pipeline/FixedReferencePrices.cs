namespace Predictive.Core.Rebalancing.Pipeline;

/// <summary>Reference prices that do not change (a local chain seeded at fixed prices); no history before them.</summary>
public sealed class FixedReferencePrices : IReferencePriceSource
{
    private readonly Dictionary<string, double> _prices;

    /// <summary>Creates the source.</summary>
    /// <exception cref="ArgumentException">A price is not finite and positive.</exception>
    public FixedReferencePrices(IReadOnlyDictionary<string, double> prices, string name = "fixed prices")
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        foreach (var (asset, price) in prices)
        {
            if (!(double.IsFinite(price) && price > 0))
            {
                throw new ArgumentException($"The reference price of '{asset}' is {price}; it must be finite and positive.", nameof(prices));
            }
        }

        _prices = new Dictionary<string, double>(prices, StringComparer.Ordinal);
        Name = name;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<ReferencePriceRow> GetAsync(DateTimeOffset time, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ReferencePriceRow(time, _prices));

    /// <inheritdoc />
    public Task<IReadOnlyList<ReferencePriceRow>> GetHistoryAsync(DateTimeOffset time, int count, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ReferencePriceRow>>([]);
}
