namespace Predictive.Core.Backtesting;

/// <summary>
/// The holdings of one run (quantities per asset, then the quote asset) from each bar they change on. The run writes a
/// checkpoint only where something other than the double path's swaps changed them (the start, the exact path, a
/// write-off); the double path's swaps are in the <see cref="TradeLog"/>, and <see cref="Rows"/> replays them onto the
/// checkpoints, with the double path's own arithmetic, when the holdings are first read.
/// </summary>
internal sealed class HoldingsLog
{
    private readonly ChangeLog _checkpoints;
    private readonly List<int> _tradesBefore = [];
    private readonly TradeLog _trades;
    private readonly Lazy<ChangeLog> _rows;

    /// <summary>Creates an empty log of <paramref name="assets"/> assets and the quote asset, over <paramref name="trades"/>.</summary>
    public HoldingsLog(int assets, TradeLog trades)
    {
        _checkpoints = new ChangeLog(assets + 1);
        _trades = trades;
        _rows = new(Replay);
    }

    /// <summary>The holdings in force from each bar they changed on.</summary>
    public ChangeLog Rows => _rows.Value;

    /// <summary>
    /// The row to fill with the holdings as they are now at <paramref name="bar"/>, after every swap logged so far (the
    /// same row when the bar already has a checkpoint).
    /// </summary>
    public Span<double> Checkpoint(int bar)
    {
        var before = _checkpoints.Count;
        var row = _checkpoints.Add(bar);
        if (_checkpoints.Count == before)
        {
            _tradesBefore[^1] = _trades.Count;
        }
        else
        {
            _tradesBefore.Add(_trades.Count);
        }

        return row;
    }

    /// <summary>Each checkpoint, then the double path's swaps after it bar by bar, as rows.</summary>
    private ChangeLog Replay()
    {
        var rows = new ChangeLog(_checkpoints.Width);
        var state = new double[_checkpoints.Width];
        var c = 0;
        foreach (var (from, _, checkpoint) in _checkpoints.Segments(int.MaxValue))
        {
            checkpoint.CopyTo(state, 0);
            checkpoint.CopyTo(rows.Add(from), 0);
            var end = c + 1 < _tradesBefore.Count ? _tradesBefore[c + 1] : _trades.Count;
            for (var k = _tradesBefore[c]; k < end;)
            {
                var bar = _trades.BarOf(k);
                k = _trades.Replay(k, end, bar, state);
                state.CopyTo(rows.Add(bar), 0);
            }

            c++;
        }

        return rows;
    }
}
