using System.Numerics;

namespace Predictive.Core.Features;

/// <summary>
/// The per-asset features of every asset, advanced one bar at a time in O(1) per statistic. The bulk and the incremental
/// builders both drive this kernel, so the two paths do the same arithmetic in the same order and agree bitwise.
/// </summary>
/// <remarks>
/// <para>
/// Every update moves all assets one bar, so the state is a structure of arrays with one lane per asset (padded to whole
/// vectors) and each statistic is one vector loop over the assets; features are computed kind by kind into a
/// <c>[feature, asset]</c> scratch block and then written to the bar's <c>[asset, feature]</c> row once. All arithmetic is
/// lane-wise, so an asset's values never depend on the other assets.
/// </para>
/// <para>
/// Rolling statistics keep running sums over ring buffers. A missing value (NaN) is counted, not summed, and makes the
/// window's statistic NaN until it has left the window; the rings start full of NaN, so "not enough history" and
/// "missing data" are one rule. Every <c>window</c> bars each window's sums are recomputed exactly from its ring, so
/// rounding drift from adding and subtracting cannot build up over long series (amortized O(1)).
/// </para>
/// </remarks>
internal sealed class PerAssetKernel
{
    private const double AmihudScale = 1e6;

    private readonly int _assets;
    private readonly int _width;
    private readonly int _featureCount;
    private readonly PlanItem[] _items;
    private readonly FeatureTranspose _transpose;
    private readonly bool[] _zScored;
    private readonly bool _usesVolume;
    private readonly double[] _close;
    private readonly double[] _volume;
    private readonly double[] _logPrice;
    private readonly double[] _previousLogPrice;
    private readonly double[] _peak;
    private readonly Ring _logPrices;
    private readonly BarRings _rings;
    private readonly WindowSums[] _windows;
    private readonly Ewma[] _ewma;
    private readonly double[] _scratch;
    private readonly long[] _valid;
    private int _step;

    public PerAssetKernel(FeaturePlan plan, int assets)
    {
        _assets = assets;
        _width = Lanes.Pad(assets);
        _featureCount = plan.FeatureCount;
        _items = plan.PerAsset;
        _transpose = new FeatureTranspose(Array.ConvertAll(_items, x => x.Column));
        _zScored = plan.PerAssetZScored;
        _usesVolume = plan.UsesVolume;
        _close = NaNs(_width);
        _volume = NaNs(_width);
        _logPrice = NaNs(_width);
        _previousLogPrice = NaNs(_width);
        _peak = NaNs(_width);
        _logPrices = new Ring(plan.MaxHorizon + 1, _width);
        // One slot more than the longest window, so the value leaving a window never shares a slot with the one entering.
        _rings = new BarRings(plan.MaxWindow + 1, _width, _usesVolume);
        _windows = new WindowSums[plan.Windows.Length];
        for (var g = 0; g < _windows.Length; g++)
        {
            _windows[g] = new WindowSums(plan.Windows[g], plan.WindowNeeds[g], _width);
        }

        _ewma = Array.ConvertAll(plan.EwmaHalfLives, h => new Ewma(h, _width));
        _scratch = new double[_items.Length * _width];
        _valid = new long[_width];
    }

    /// <summary>Advances one bar and writes every asset's per-asset feature columns into <paramref name="row"/> (<c>[asset, feature]</c>).</summary>
    /// <param name="closes">One close per asset; NaN where missing.</param>
    /// <param name="volumes">One volume per asset, or empty (volumes are then NaN).</param>
    /// <param name="row">The bar's features; only the per-asset columns are written.</param>
    /// <param name="available">Written: whether each asset has a finite positive close and finite per-asset features.</param>
    public void Step(ReadOnlySpan<double> closes, ReadOnlySpan<double> volumes, Span<double> row, Span<bool> available)
    {
        closes.CopyTo(_close);
        if (volumes.IsEmpty)
        {
            _volume.AsSpan(0, _assets).Fill(double.NaN);
        }
        else
        {
            volumes.CopyTo(_volume);
        }

        Advance();
        WriteFeatures();
        for (var k = 0; k < _zScored.Length; k++)
        {
            if (_zScored[k])
            {
                RowFinisher.ZScore(_scratch.AsSpan(k * _width, _assets), 1, _assets);
            }
        }

        Validate(available);
        _transpose.Write(_scratch, _width, _assets, _featureCount, row);
        _step++;
    }

    /// <summary>Availability from the per-asset side: a valid close (its log is not NaN) and every per-asset value finite.</summary>
    private void Validate(Span<bool> available)
    {
        var valid = Lanes.AsVectors(_valid.AsSpan());
        var logPrice = Lanes.AsVectors(_logPrice.AsSpan());
        for (var i = 0; i < valid.Length; i++)
        {
            valid[i] = Vector.Equals(logPrice[i], logPrice[i]);
        }

        for (var k = 0; k < _items.Length; k++)
        {
            var values = Lanes.AsVectors(_scratch.AsSpan(k * _width, _width));
            for (var i = 0; i < valid.Length; i++)
            {
                // x − x is 0 for a finite x and NaN for ±∞ or NaN.
                valid[i] &= Vector.Equals(values[i] - values[i], Vector<double>.Zero);
            }
        }

        for (var a = 0; a < available.Length; a++)
        {
            available[a] = _valid[a] != 0;
        }
    }

    private void Advance()
    {
        var close = Lanes.AsVectors(_close.AsSpan());
        var volume = Lanes.AsVectors(_volume.AsSpan());
        var logPrice = Lanes.AsVectors(_logPrice.AsSpan());
        var previous = Lanes.AsVectors(_previousLogPrice.AsSpan());
        var peak = Lanes.AsVectors(_peak.AsSpan());
        var returns = Lanes.AsVectors(_rings.Returns.Slot(_step));
        var dollarVolume = Lanes.AsVectors(_rings.DollarVolume.Slot(_step));
        var amihud = Lanes.AsVectors(_rings.Amihud.Slot(_step));
        var nan = new Vector<double>(double.NaN);
        for (var i = 0; i < close.Length; i++)
        {
            var c = close[i];
            var valid = Vector.GreaterThan(c, Vector<double>.Zero) & Vector.Equals(c - c, Vector<double>.Zero);
            var lp = Vector.ConditionalSelect(valid, Vector.Log(c), nan);
            var r = lp - previous[i];
            previous[i] = lp;
            logPrice[i] = lp;
            returns[i] = r;

            // The running peak close since listing; a missing close leaves it alone.
            var higher = Vector.Equals(lp, lp) & ~Vector.LessThanOrEqual(c, peak[i]);
            peak[i] = Vector.ConditionalSelect(higher, c, peak[i]);
            if (_usesVolume)
            {
                var v = volume[i];
                var traded = Vector.GreaterThanOrEqual(v, Vector<double>.Zero);
                dollarVolume[i] = Vector.ConditionalSelect(traded, Vector.Log(Vector<double>.One + v), nan);
                amihud[i] = Vector.ConditionalSelect(traded, Vector.Abs(r) / Vector.Max(v, Vector<double>.One) * AmihudScale, nan);
            }
        }

        _logPrice.CopyTo(_logPrices.Slot(_step));
        foreach (var w in _windows)
        {
            w.Slide(_rings, _step - w.Window, _step);
            if (++w.SinceRecompute == w.Window)
            {
                w.Recompute(_rings, _step);
            }
        }

        var entering = _rings.Returns.Slot(_step);
        foreach (var e in _ewma)
        {
            e.Add(entering);
        }
    }

    /// <summary>Computes each feature kind by kind into the <c>[feature, asset]</c> scratch block (one dispatch per feature and bar).</summary>
    private void WriteFeatures()
    {
        var nan = new Vector<double>(double.NaN);
        var zero = Vector<double>.Zero;
        for (var k = 0; k < _items.Length; k++)
        {
            var item = _items[k];
            var output = Lanes.AsVectors(_scratch.AsSpan(k * _width, _width));
            switch (item.Kind)
            {
                case FeatureKind.LogReturn:
                    Subtract(_logPrice, _logPrices.Slot(_step - item.Window), output);
                    break;
                case FeatureKind.Drawdown:
                    Drawdown(output);
                    break;
                case FeatureKind.EwmaVolatility:
                    _ewma[item.Index].Value(output);
                    break;
                case FeatureKind.RealizedVolatility or FeatureKind.DownsideVolatility:
                {
                    var s = _windows[item.Index];
                    var squares = Lanes.AsVectors(item.Kind == FeatureKind.RealizedVolatility ? s.Squares : s.DownSquares);
                    var missing = Lanes.AsVectors(s.MissingReturns);
                    var window = new Vector<double>(s.Window);
                    for (var i = 0; i < output.Length; i++)
                    {
                        var v = Vector.SquareRoot(Vector.Max(squares[i], zero) / window);
                        output[i] = Vector.ConditionalSelect(Vector.Equals(missing[i], zero), v, nan);
                    }

                    break;
                }

                case FeatureKind.Momentum:
                {
                    var s = _windows[item.Index];
                    var sum = Lanes.AsVectors(s.Sum);
                    var squares = Lanes.AsVectors(s.Squares);
                    var missing = Lanes.AsVectors(s.MissingReturns);
                    for (var i = 0; i < output.Length; i++)
                    {
                        var scaled = Vector.ConditionalSelect(Vector.GreaterThan(squares[i], zero), sum[i] / Vector.SquareRoot(squares[i]), zero);
                        output[i] = Vector.ConditionalSelect(Vector.Equals(missing[i], zero), scaled, nan);
                    }

                    break;
                }

                case FeatureKind.LogDollarVolume:
                    Mean(_windows[item.Index].DollarVolume, _windows[item.Index].MissingDollarVolume, _windows[item.Index].Window, output);
                    break;
                case FeatureKind.AmihudIlliquidity:
                    Mean(_windows[item.Index].Amihud, _windows[item.Index].MissingAmihud, _windows[item.Index].Window, output);
                    break;
                default:
                    output.Fill(nan);
                    break;
            }
        }
    }

    private void Drawdown(Span<Vector<double>> output)
    {
        var close = Lanes.AsVectors(_close.AsSpan());
        var logPrice = Lanes.AsVectors(_logPrice.AsSpan());
        var peak = Lanes.AsVectors(_peak.AsSpan());
        var nan = new Vector<double>(double.NaN);
        for (var i = 0; i < output.Length; i++)
        {
            var lp = logPrice[i];
            output[i] = Vector.ConditionalSelect(Vector.Equals(lp, lp), (close[i] / peak[i]) - Vector<double>.One, nan);
        }
    }

    private static void Subtract(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<Vector<double>> output)
    {
        var xv = Lanes.AsVectors(x);
        var yv = Lanes.AsVectors(y);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = xv[i] - yv[i];
        }
    }

    private static void Mean(double[] sums, double[] missings, int window, Span<Vector<double>> output)
    {
        var sum = Lanes.AsVectors(sums);
        var missing = Lanes.AsVectors(missings);
        var w = new Vector<double>(window);
        var nan = new Vector<double>(double.NaN);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = Vector.ConditionalSelect(Vector.Equals(missing[i], Vector<double>.Zero), sum[i] / w, nan);
        }
    }

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
