namespace Predictive.Core.Features;

/// <summary>
/// The correlation and covariance matrix of several return series over the last <see cref="Window"/> updates,
/// maintained in O(N²) per update from running sums of x, and xᵢxⱼ.
/// </summary>
/// <remarks>
/// A NaN return is counted as missing; an asset has values only while its window holds no missing return
/// (<see cref="HasFullWindow"/>), so a late-listing asset is NaN until it has a full window and never affects other
/// pairs. Every <see cref="Window"/> updates the sums are recomputed from the ring buffer so rounding cannot drift.
/// </remarks>
public sealed class RollingCorrelation
{
    private readonly int _n;
    private readonly double[] _ring;
    private readonly bool[] _ringMissing;
    private readonly double[] _sum;
    private readonly double[] _cross;
    private readonly int[] _missing;
    private readonly double[] _clean;
    private readonly double[] _invStd;
    private int _slot;
    private int _sinceRecompute;

    /// <summary>Creates an empty window (every asset missing).</summary>
    /// <param name="assets">The number of series (at least 1).</param>
    /// <param name="window">The number of updates in the window (at least 2).</param>
    public RollingCorrelation(int assets, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        _n = assets;
        Window = window;
        _ring = new double[window * assets];
        _ringMissing = new bool[window * assets];
        Array.Fill(_ringMissing, true);
        _sum = new double[assets];
        _cross = new double[assets * assets];
        _missing = new int[assets];
        Array.Fill(_missing, window);
        _clean = new double[assets];
        _invStd = new double[assets];
    }

    /// <summary>The number of series.</summary>
    public int AssetCount => _n;

    /// <summary>The number of updates in the window.</summary>
    public int Window { get; }

    /// <summary>Adds one bar of returns (NaN = missing) and drops the oldest.</summary>
    /// <exception cref="ArgumentException">The span does not hold one value per asset.</exception>
    public void Update(ReadOnlySpan<double> returns)
    {
        if (returns.Length != _n)
        {
            throw new ArgumentException($"returns has {returns.Length} values; expected one per asset ({_n}).", nameof(returns));
        }

        var n = _n;
        var old = _ring.AsSpan(_slot * n, n);
        var oldMissing = _ringMissing.AsSpan(_slot * n, n);
        var x = _clean.AsSpan();
        for (var i = 0; i < n; i++)
        {
            var v = returns[i];
            var missing = double.IsNaN(v);
            x[i] = missing ? 0 : v;
            _missing[i] += (missing ? 1 : 0) - (oldMissing[i] ? 1 : 0);
            _sum[i] += x[i] - old[i];
            oldMissing[i] = missing;
        }

        // Missing values are stored as 0 so the products below need no branch.
        for (var i = 0; i < n; i++)
        {
            var xi = x[i];
            var oi = old[i];
            var row = _cross.AsSpan((i * n) + i, n - i);
            var xs = x[i..];
            var os = old[i..];
            for (var j = 0; j < row.Length; j++)
            {
                row[j] += (xi * xs[j]) - (oi * os[j]);
            }
        }

        x.CopyTo(old);
        _slot = _slot + 1 == Window ? 0 : _slot + 1;
        if (++_sinceRecompute == Window)
        {
            Recompute();
        }
    }

    /// <summary>Whether the asset has a return at every bar of the current window.</summary>
    public bool HasFullWindow(int asset) => _missing[asset] == 0;

    /// <summary>The sample covariance (divisor window − 1) of two assets; NaN unless both have a full window.</summary>
    public double Covariance(int i, int j)
    {
        if (!HasFullWindow(i) || !HasFullWindow(j))
        {
            return double.NaN;
        }

        var (a, b) = i <= j ? (i, j) : (j, i);
        return (_cross[(a * _n) + b] - (_sum[a] * _sum[b] / Window)) / (Window - 1);
    }

    /// <summary>
    /// The Pearson correlation of two assets; NaN unless both have a full window; 0 when either series is constant
    /// over the window (no co-movement to measure). Clamped to [−1, 1] against rounding.
    /// </summary>
    public double Correlation(int i, int j)
    {
        if (!HasFullWindow(i) || !HasFullWindow(j))
        {
            return double.NaN;
        }

        return Correlate(i, j, Spread(i), Spread(j));
    }

    /// <summary>Writes the N × N correlation matrix, row-major; rows and columns of assets without a full window are NaN.</summary>
    /// <exception cref="ArgumentException">The destination is not N × N.</exception>
    public void CopyCorrelation(Span<double> destination)
    {
        var n = _n;
        if (destination.Length != n * n)
        {
            throw new ArgumentException($"destination has {destination.Length} values; expected {n}×{n}.", nameof(destination));
        }

        for (var i = 0; i < n; i++)
        {
            var s = HasFullWindow(i) ? Spread(i) : double.NaN;
            _invStd[i] = s > 0 ? 1 / Math.Sqrt(s) : s;
        }

        for (var i = 0; i < n; i++)
        {
            destination[(i * n) + i] = HasFullWindow(i) ? 1 : double.NaN;
            for (var j = i + 1; j < n; j++)
            {
                double c;
                if (double.IsNaN(_invStd[i]) || double.IsNaN(_invStd[j]))
                {
                    c = double.NaN;
                }
                else if (_invStd[i] == 0 || _invStd[j] == 0)
                {
                    c = 0;
                }
                else
                {
                    c = Math.Clamp(((Window * _cross[(i * n) + j]) - (_sum[i] * _sum[j])) * _invStd[i] * _invStd[j], -1, 1);
                }

                destination[(i * n) + j] = c;
                destination[(j * n) + i] = c;
            }
        }
    }

    /// <summary>n·Σx² − (Σx)², which is n(n − 1) times the sample variance.</summary>
    private double Spread(int i) => (Window * _cross[(i * _n) + i]) - (_sum[i] * _sum[i]);

    private double Correlate(int i, int j, double si, double sj)
    {
        if (i == j)
        {
            return 1;
        }

        if (si <= 0 || sj <= 0)
        {
            return 0;
        }

        var (a, b) = i <= j ? (i, j) : (j, i);
        var c = ((Window * _cross[(a * _n) + b]) - (_sum[a] * _sum[b])) / Math.Sqrt(si * sj);
        return Math.Clamp(c, -1, 1);
    }

    private void Recompute()
    {
        _sinceRecompute = 0;
        var n = _n;
        Array.Clear(_sum);
        Array.Clear(_cross);
        Array.Clear(_missing);
        for (var k = 0; k < Window; k++)
        {
            // Oldest first, so the order of additions does not depend on where the ring starts.
            var s = (_slot + k) % Window;
            var x = _ring.AsSpan(s * n, n);
            for (var i = 0; i < n; i++)
            {
                _missing[i] += _ringMissing[(s * n) + i] ? 1 : 0;
                _sum[i] += x[i];
                for (var j = i; j < n; j++)
                {
                    _cross[(i * n) + j] += x[i] * x[j];
                }
            }
        }
    }
}
