using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
    private readonly bool _downside;
    private readonly double[] _close;
    private readonly double[] _volume;
    private readonly double[] _logPrice;
    private readonly double[] _previousLogPrice;
    private readonly double[] _peak;
    private readonly Ring _logPrices;
    private readonly BarRings _rings;
    private readonly double[] _return;
    private readonly WindowSums[] _windows;
    private readonly Ewma[] _ewma;
    private readonly double[] _scratch;
    private readonly long[] _valid;
    private readonly long[] _lanes;
    private readonly FeatureOp[] _ops;
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
        _logPrices = new Ring(plan.MaxHorizon + 1, _width, double.NaN);
        // One slot more than the longest window, so the value leaving a window never shares a slot with the one entering.
        _downside = Array.Exists(plan.WindowNeeds, x => (x & WindowNeeds.Downside) != 0);
        _rings = new BarRings(plan.MaxWindow + 1, _width, _usesVolume, _downside);
        _return = NaNs(_width);
        _windows = new WindowSums[plan.Windows.Length];
        for (var g = 0; g < _windows.Length; g++)
        {
            _windows[g] = new WindowSums(plan.Windows[g], plan.WindowNeeds[g], _width);
        }

        _ewma = Array.ConvertAll(plan.EwmaHalfLives, h => new Ewma(h, _width));
        _scratch = new double[_items.Length * _width];
        _valid = new long[_width];
        _ops = BuildOps();

        // All ones on the lanes of real assets, zero on the padding, so cross-sectional statistics skip the padding.
        _lanes = new long[_width];
        _lanes.AsSpan(0, assets).Fill(-1);
    }

    /// <summary>Advances one bar and writes every asset's per-asset feature columns into <paramref name="row"/> (<c>[asset, feature]</c>).</summary>
    /// <param name="closes">One close per asset; NaN where missing.</param>
    /// <param name="volumes">One volume per asset, or empty (volumes are then NaN).</param>
    /// <param name="row">The bar's features; only the per-asset columns are written.</param>
    /// <param name="available">Written: whether each asset has a finite positive close and finite per-asset features.</param>
    public void Step(ReadOnlySpan<double> closes, ReadOnlySpan<double> volumes, Span<double> row, Span<bool> available)
    {
        closes.CopyTo(_close);
        if (_usesVolume)
        {
            if (volumes.IsEmpty)
            {
                _volume.AsSpan(0, _assets).Fill(double.NaN);
            }
            else
            {
                volumes.CopyTo(_volume);
            }
        }

        Advance();

        // Availability starts from a valid close (its log is not NaN); each feature clears the lanes where it is not finite.
        var valid = Lanes.AsVectors(_valid.AsSpan());
        var logPrice = Lanes.AsVectors(_logPrice.AsSpan());
        for (var i = 0; i < valid.Length; i++)
        {
            valid[i] = Vector.Equals(logPrice[i], logPrice[i]);
        }

        WriteFeatures(valid);
        for (var k = 0; k < _zScored.Length; k++)
        {
            if (_zScored[k])
            {
                var values = _scratch.AsSpan(k * _width, _width);
                var vectors = Lanes.AsVectors(values);
                ZScore(vectors);
                Validate(vectors, valid);
            }
        }

        for (var a = 0; a < available.Length; a++)
        {
            available[a] = _valid[a] != 0;
        }

        _transpose.Write(_scratch, _width, _assets, _featureCount, row);
        _step++;
    }

    /// <summary>Clears the lanes of <paramref name="valid"/> where a value is not finite (x − x is 0 only for a finite x).</summary>
    private static void Validate(ReadOnlySpan<Vector<double>> values, Span<Vector<long>> valid)
    {
        for (var i = 0; i < valid.Length; i++)
        {
            valid[i] &= Vector.Equals(values[i] - values[i], Vector<double>.Zero);
        }
    }

    /// <summary>
    /// Cross-sectional z-score of one feature across the asset lanes, in place: (x − mean) / sd over the finite values of
    /// the real assets; 0 when fewer than two are finite or they all agree; non-finite values stay as they are. The same
    /// rule as <see cref="RowFinisher.ZScore"/>, done a vector at a time.
    /// </summary>
    private void ZScore(Span<Vector<double>> values)
    {
        var lanes = Lanes.AsVectors(_lanes.AsSpan());
        var zero = Vector<double>.Zero;
        var sum = zero;
        var count = zero;
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            var finite = lanes[i] & Vector.Equals(x - x, zero);
            sum += Vector.ConditionalSelect(finite, x, zero);
            count += Vector.ConditionalSelect(finite, Vector<double>.One, zero);
        }

        var n = Vector.Sum(count);
        var mean = new Vector<double>(n > 0 ? Vector.Sum(sum) / n : 0);
        var squares = zero;
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            var finite = lanes[i] & Vector.Equals(x - x, zero);
            var d = x - mean;
            squares += Vector.ConditionalSelect(finite, d * d, zero);
        }

        var sd = n > 1 ? Math.Sqrt(Vector.Sum(squares) / n) : 0;
        var scale = new Vector<double>(sd > 0 ? 1 / sd : 0);
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            var finite = Vector.Equals(x - x, zero);
            var z = sd > 0 ? (x - mean) * scale : zero;
            values[i] = Vector.ConditionalSelect(finite, z, x);
        }
    }

    private void Advance()
    {
        var close = Lanes.AsVectors(_close.AsSpan());
        var volume = Lanes.AsVectors(_volume.AsSpan());
        var logPrice = Lanes.AsVectors(_logPrice.AsSpan());
        var previous = Lanes.AsVectors(_previousLogPrice.AsSpan());
        var peak = Lanes.AsVectors(_peak.AsSpan());
        var returns = Lanes.AsVectors(_return.AsSpan());
        var zeroed = Lanes.AsVectors(_rings.Return.Slot(_step));
        var squares = Lanes.AsVectors(_rings.ReturnSquare.Slot(_step));
        var downSquares = Lanes.AsVectors(_rings.DownSquare.Slot(_step));
        var missing = Lanes.AsVectors(_rings.ReturnMissing.Slot(_step));
        var dollarVolume = Lanes.AsVectors(_rings.DollarVolume.Slot(_step));
        var dollarVolumeMissing = Lanes.AsVectors(_rings.DollarVolumeMissing.Slot(_step));
        var amihud = Lanes.AsVectors(_rings.Amihud.Slot(_step));
        var amihudMissing = Lanes.AsVectors(_rings.AmihudMissing.Slot(_step));
        var logPrices = Lanes.AsVectors(_logPrices.Slot(_step));
        var downside = _downside;
        var nan = new Vector<double>(double.NaN);
        for (var i = 0; i < close.Length; i++)
        {
            var c = close[i];
            var valid = Vector.GreaterThan(c, Vector<double>.Zero) & Vector.Equals(c - c, Vector<double>.Zero);
            var lp = Vector.ConditionalSelect(valid, Vector.Log(c), nan);
            var r = lp - previous[i];
            previous[i] = lp;
            logPrice[i] = lp;
            logPrices[i] = lp;
            returns[i] = r;

            // What the windows add and subtract, computed once as the bar enters (see BarRings).
            var rz = Lanes.OrZero(r, out var rMissing);
            zeroed[i] = rz;
            squares[i] = rz * rz;
            missing[i] = rMissing;
            if (downside)
            {
                var d = Lanes.NegativePart(rz);
                downSquares[i] = d * d;
            }

            // The running peak close since listing; a missing close leaves it alone.
            var higher = Vector.Equals(lp, lp) & ~Vector.LessThanOrEqual(c, peak[i]);
            peak[i] = Vector.ConditionalSelect(higher, c, peak[i]);
            if (_usesVolume)
            {
                var v = volume[i];
                var traded = Vector.GreaterThanOrEqual(v, Vector<double>.Zero);
                dollarVolume[i] = Lanes.OrZero(Vector.ConditionalSelect(traded, Vector.Log(Vector<double>.One + v), nan), out var dvMissing);
                dollarVolumeMissing[i] = dvMissing;
                amihud[i] = Lanes.OrZero(Vector.ConditionalSelect(traded, Vector.Abs(r) / Vector.Max(v, Vector<double>.One) * AmihudScale, nan), out var amihudMissingNow);
                amihudMissing[i] = amihudMissingNow;
            }
        }

        foreach (var w in _windows)
        {
            w.Slide(_rings, _step - w.Window, _step);
            if (++w.SinceRecompute == w.Window)
            {
                w.Recompute(_rings, _step);
            }
        }

        foreach (var e in _ewma)
        {
            e.Add(_return);
        }
    }

    /// <summary>
    /// Computes each feature into the <c>[feature, asset]</c> scratch block from the precomputed operations (one dispatch
    /// per feature and bar) and, for the features not z-scored afterwards, clears availability where a value is not finite
    /// in the same pass.
    /// </summary>
    private void WriteFeatures(Span<Vector<long>> valid)
    {
        var nan = new Vector<double>(double.NaN);
        var zero = Vector<double>.Zero;
        var n = (nuint)valid.Length;
        var count = (nuint)Vector<double>.Count;
        ref var validRef = ref MemoryMarshal.GetReference(valid);
        ref var scratch = ref MemoryMarshal.GetArrayDataReference(_scratch);
        for (var k = 0; k < _ops.Length; k++)
        {
            var op = _ops[k];
            ref var output = ref Unsafe.Add(ref scratch, k * _width);
            ref var a = ref MemoryMarshal.GetArrayDataReference(op.A);
            ref var b = ref MemoryMarshal.GetArrayDataReference(op.B);
            ref var c = ref MemoryMarshal.GetArrayDataReference(op.C);
            var constant = new Vector<double>(op.Constant);
            switch (op.Kind)
            {
                case FeatureKind.LogReturn:
                    // A is the log price now, B the ring of log prices: the row of the bar `window` bars back.
                    b = ref Unsafe.Add(ref b, _logPrices.Offset(_step - op.Window));
                    for (nuint i = 0; i < n; i++)
                    {
                        (Vector.LoadUnsafe(ref a, i * count) - Vector.LoadUnsafe(ref b, i * count)).StoreUnsafe(ref output, i * count);
                    }

                    break;
                case FeatureKind.Drawdown:
                    Drawdown(Lanes.AsVectors(_scratch.AsSpan(k * _width, _width)));
                    break;
                case FeatureKind.EwmaVolatility:
                    _ewma[op.Window].Value(Lanes.AsVectors(_scratch.AsSpan(k * _width, _width)));
                    break;
                case FeatureKind.RealizedVolatility or FeatureKind.DownsideVolatility:
                    // A: the sum of squares, B: the missing count, constant: 1 / window (a multiply is several times cheaper than a divide).
                    for (nuint i = 0; i < n; i++)
                    {
                        var v = Vector.SquareRoot(Vector.Max(Vector.LoadUnsafe(ref a, i * count), zero) * constant);
                        Vector.ConditionalSelect(Vector.Equals(Vector.LoadUnsafe(ref b, i * count), zero), v, nan).StoreUnsafe(ref output, i * count);
                    }

                    break;
                case FeatureKind.Momentum:
                    // A: the sum, B: the sum of squares, C: the missing count.
                    for (nuint i = 0; i < n; i++)
                    {
                        var squares = Vector.LoadUnsafe(ref b, i * count);
                        var scaled = Vector.ConditionalSelect(Vector.GreaterThan(squares, zero), Vector.LoadUnsafe(ref a, i * count) / Vector.SquareRoot(squares), zero);
                        Vector.ConditionalSelect(Vector.Equals(Vector.LoadUnsafe(ref c, i * count), zero), scaled, nan).StoreUnsafe(ref output, i * count);
                    }

                    break;
                case FeatureKind.LogDollarVolume or FeatureKind.AmihudIlliquidity:
                    // A: the sum, B: the missing count, constant: 1 / window.
                    for (nuint i = 0; i < n; i++)
                    {
                        var mean = Vector.LoadUnsafe(ref a, i * count) * constant;
                        Vector.ConditionalSelect(Vector.Equals(Vector.LoadUnsafe(ref b, i * count), zero), mean, nan).StoreUnsafe(ref output, i * count);
                    }

                    break;
                default:
                    Lanes.AsVectors(_scratch.AsSpan(k * _width, _width)).Fill(nan);
                    break;
            }

            // Z-scored features are validated after normalization.
            if (!_zScored[k])
            {
                for (nuint i = 0; i < n; i++)
                {
                    var x = Vector.LoadUnsafe(ref output, i * count);
                    Unsafe.Add(ref validRef, i) &= Vector.Equals(x - x, zero);
                }
            }
        }
    }

    /// <summary>The arrays each feature reads, bound once so the per-bar loop does no lookups.</summary>
    private FeatureOp[] BuildOps()
    {
        var ops = new FeatureOp[_items.Length];
        for (var k = 0; k < ops.Length; k++)
        {
            var item = _items[k];
            ops[k] = item.Kind switch
            {
                FeatureKind.LogReturn => new FeatureOp(item.Kind, item.Window, 0, _logPrice, _logPrices.Values, []),
                FeatureKind.EwmaVolatility => new FeatureOp(item.Kind, item.Index, 0, [], [], []),
                FeatureKind.RealizedVolatility => Window(item, w => (w.Squares, w.MissingReturns, [])),
                FeatureKind.DownsideVolatility => Window(item, w => (w.DownSquares, w.MissingReturns, [])),
                FeatureKind.Momentum => Window(item, w => (w.Sum, w.Squares, w.MissingReturns)),
                FeatureKind.LogDollarVolume => Window(item, w => (w.DollarVolume, w.MissingDollarVolume, [])),
                FeatureKind.AmihudIlliquidity => Window(item, w => (w.Amihud, w.MissingAmihud, [])),
                _ => new FeatureOp(item.Kind, 0, 0, [], [], []),
            };
        }

        return ops;
    }

    private FeatureOp Window(PlanItem item, Func<WindowSums, (double[] A, double[] B, double[] C)> arrays)
    {
        var w = _windows[item.Index];
        var (a, b, c) = arrays(w);
        return new FeatureOp(item.Kind, w.Window, 1.0 / w.Window, a, b, c);
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

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}

/// <summary>One feature bound to the state it reads: its kind, its window (or EWMA index), a constant and up to three arrays.</summary>
internal readonly record struct FeatureOp(FeatureKind Kind, int Window, double Constant, double[] A, double[] B, double[] C);
