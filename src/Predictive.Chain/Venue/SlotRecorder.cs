using Predictive.Core.Rebalancing.Pipeline;
using Predictive.Core.Venues;

namespace Predictive.Chain.Venue;

/// <summary>
/// The on-chain venue as the composition's <see cref="IVenue"/> for one decision slot: each order is saved to the run
/// file before it is sent, then sent as the slot's next leg (<see cref="SwapIntentIds"/>). After an interruption
/// <see cref="ResumeAsync"/> sends the saved orders again under the same legs, so the keeper's journal finishes the
/// ones already sent instead of sending them twice, and the bar is decided afresh from what the vault then holds.
/// </summary>
internal sealed class SlotRecorder : IVenue
{
    private readonly OnChainVenue _venue;
    private readonly IStateDocuments _documents;
    private readonly string _runKey;
    private readonly string _slot;
    private readonly DateTimeOffset _startedAt;
    private readonly List<PlannedOrder> _orders = [];

    public SlotRecorder(OnChainVenue venue, IStateDocuments documents, string runKey, string slot, DateTimeOffset startedAt)
    {
        _venue = venue;
        _documents = documents;
        _runKey = runKey;
        _slot = slot;
        _startedAt = startedAt;
        RunId = $"rebalance-{slot}";
    }

    public string RunId { get; private set; }

    public int Sent => _orders.Count;

    public string QuoteAsset => _venue.QuoteAsset;

    public Task<VenueSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default) => _venue.GetSnapshotAsync(cancellationToken);

    public Task<SwapQuote> QuoteAsync(SwapOrder order, CancellationToken cancellationToken = default) => _venue.QuoteAsync(order, cancellationToken);

    public async Task<SwapFill> ExecuteAsync(SwapOrder order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        var leg = _orders.Count;
        _orders.Add(new PlannedOrder(order.AssetIn, order.AssetOut, order.AmountIn, order.MinAmountOut));
        if (!_venue.DryRun)
        {
            new RebalanceRun(RunId, _slot, _startedAt, [.. _orders]).Save(_documents, _runKey);
        }

        return await _venue.ExecuteAsync(order, _slot, leg, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a saved interrupted run's orders again under their legs; returns the run, or null when there was none.</summary>
    public async Task<RebalanceRun?> ResumeAsync(CancellationToken cancellationToken)
    {
        var saved = _venue.DryRun ? null : RebalanceRun.Load(_documents, _runKey);
        if (saved is null)
        {
            return null;
        }

        for (var leg = 0; leg < saved.Orders.Count; leg++)
        {
            var o = saved.Orders[leg];
            await _venue.ExecuteAsync(new SwapOrder(o.AssetIn, o.AssetOut, o.AmountIn, o.MinAmountOut), saved.Slot, leg, cancellationToken).ConfigureAwait(false);
        }

        if (saved.Slot == _slot)
        {
            // The bar goes on in the same slot: its next legs follow the resumed ones.
            RunId = saved.RunId;
            _orders.AddRange(saved.Orders);
        }
        else
        {
            _documents.Delete(_runKey);
        }

        return saved;
    }

    /// <summary>The bar is done: no run to resume.</summary>
    public void Finish()
    {
        if (!_venue.DryRun)
        {
            _documents.Delete(_runKey);
        }
    }
}
