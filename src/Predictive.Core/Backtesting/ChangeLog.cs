namespace Predictive.Core.Backtesting;

/// <summary>
/// A per-bar row kept only at the bars where it changes (the target in force, the holdings after a trade). A long
/// backtest then writes a few rows instead of a bars × assets matrix; <see cref="BacktestResult"/> expands the rows to
/// dense matrices when they are first read.
/// </summary>
internal sealed class ChangeLog
{
    private readonly List<int> _bars = [];
    private readonly List<double[]> _rows = [];
    private readonly int _width;

    /// <summary>Creates an empty log of rows of <paramref name="width"/> values.</summary>
    public ChangeLog(int width) => _width = width;

    /// <summary>The values per row.</summary>
    public int Width => _width;

    /// <summary>The number of rows.</summary>
    public int Count => _rows.Count;

    /// <summary>The row in force after the last change.</summary>
    public double[] Last => _rows[^1];

    /// <summary>The row in force from <paramref name="bar"/> on, to be filled by the caller (the same row when the bar changes twice).</summary>
    public double[] Add(int bar)
    {
        if (_bars.Count > 0 && _bars[^1] == bar)
        {
            return _rows[^1];
        }

        _bars.Add(bar);
        _rows.Add(new double[_width]);
        return _rows[^1];
    }

    /// <summary>The row in force at <paramref name="bar"/> (the last one added at or before it).</summary>
    public double[] RowAt(int bar)
    {
        var k = _bars.BinarySearch(bar);
        return _rows[k >= 0 ? k : Math.Max(0, ~k - 1)];
    }

    /// <summary>Each row with the bars [From, To) it is in force over, up to <paramref name="bars"/>.</summary>
    public IEnumerable<(int From, int To, double[] Row)> Segments(int bars)
    {
        for (var k = 0; k < _rows.Count; k++)
        {
            yield return (_bars[k], k + 1 < _bars.Count ? _bars[k + 1] : bars, _rows[k]);
        }
    }
}
