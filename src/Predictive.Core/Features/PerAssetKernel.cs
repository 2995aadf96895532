using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
internal sealed partial class PerAssetKernel
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
    private readonly double[] _logClose;
    private readonly double[] _logVolume;
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
        _logClose = new double[_width];
        _logVolume = new double[_width];
        _peak = NaNs(_width);
        _logPrices = new Ring(plan.MaxHorizon + 1, _width, double.NaN);
        // One slot more than the longest window, so the value leaving a window never shares a slot with the one entering.
        _downside = Array.Exists(plan.WindowNeeds, x => (x & WindowNeeds.Downside) != 0);
        _rings = new BarRings(plan.MaxWindow + 1, _width);
        _return = NaNs(_width);
        _windows = new WindowSums[plan.Windows.Length];
        for (var g = 0; g < _windows.Length; g++)
        {
            _windows[g] = new WindowSums(plan.Windows[g], plan.WindowNeeds[g], _rings);
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

        var valid = Lanes.AsVectors(_valid.AsSpan());
        WriteFeatures(valid);
        for (var k = 0; k < _zScored.Length; k++)
        {
            if (_zScored[k])
            {
                ZScore(Lanes.AsVectors(_scratch.AsSpan(k * _width, _width)), valid);
            }
        }

        WriteAvailability(available);

        _transpose.Write(_scratch, _width, _assets, _featureCount, row);
        _step++;
    }

    /// <summary>Turns the all-ones-or-zero 64-bit lanes of <c>_valid</c> into one bool per asset.</summary>
    private void WriteAvailability(Span<bool> available)
    {
        ref var flags = ref MemoryMarshal.GetArrayDataReference(_valid);
        ref var target = ref Unsafe.As<bool, byte>(ref MemoryMarshal.GetReference(available));
        var a = 0;
        if (Avx.IsSupported)
        {
            // Four lanes at a time: their sign bits (MoveMask) spread to the lowest bit of four bytes by one multiply,
            // because the shifted copies of the 4-bit mask (0, 7, 14 and 21 places) never overlap, so nothing carries.
            ref var lanes = ref Unsafe.As<long, double>(ref flags);
            for (; a + 4 <= available.Length; a += 4)
            {
                var bits = (uint)Avx.MoveMask(Vector256.LoadUnsafe(ref lanes, (nuint)a));
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, a), (bits * 0x00204081u) & 0x01010101u);
            }
        }

        for (; a < available.Length; a++)
        {
            Unsafe.Add(ref target, a) = Unsafe.Add(ref flags, a) != 0 ? (byte)1 : (byte)0;
        }
    }

    /// <summary>
    /// Cross-sectional z-score of one feature across the asset lanes, in place: (x − mean) / sd over the finite values of
    /// the real assets; 0 when fewer than two are finite or they all agree; non-finite values stay as they are. The same
    /// rule as <see cref="RowFinisher.ZScore"/>, done a vector at a time. Clears <paramref name="valid"/> where a result is
    /// not finite.
    /// </summary>
    private void ZScore(Span<Vector<double>> values, Span<Vector<long>> valid)
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
            var z = Vector.ConditionalSelect(finite, sd > 0 ? (x - mean) * scale : zero, x);
            values[i] = z;
            valid[i] &= Vector.Equals(z - z, zero);
        }
    }

    /// <summary>
    /// Moves every lane one bar: the log price and return, the running peak, the bar's entries in the rings, the window
    /// sums and the EWMAs; and starts availability from a valid close.
    /// </summary>
    private void Advance()
    {
        // Addressed by offset from the arrays' first elements: every array is padded to whole vectors, and this runs
        // once per bar over a handful of vectors, so span setup and bounds checks would cost as much as the arithmetic.
        ref var close = ref MemoryMarshal.GetArrayDataReference(_close);
        ref var volume = ref MemoryMarshal.GetArrayDataReference(_volume);
        ref var logClose = ref MemoryMarshal.GetArrayDataReference(_logClose);
        ref var logVolume = ref MemoryMarshal.GetArrayDataReference(_logVolume);
        var n = (nuint)_width;
        var count = (nuint)Vector<double>.Count;
        var usesVolume = _usesVolume;

        // The logs get a loop of their own: Vector.Log is a call, and no vector register survives a call, so inside the
        // main loop below it would force every live value out to the stack and back.
        for (nuint i = 0; i < n; i += count)
        {
            Vector.Log(Vector.LoadUnsafe(ref close, i)).StoreUnsafe(ref logClose, i);
            if (usesVolume)
            {
                Vector.Log(Vector<double>.One + Vector.LoadUnsafe(ref volume, i)).StoreUnsafe(ref logVolume, i);
            }
        }

        ref var logPrice = ref MemoryMarshal.GetArrayDataReference(_logPrice);
        ref var peak = ref MemoryMarshal.GetArrayDataReference(_peak);
        ref var returns = ref MemoryMarshal.GetArrayDataReference(_return);
        ref var valid = ref MemoryMarshal.GetArrayDataReference(_valid);
        ref var logPrices = ref _logPrices.Row(_step);
        ref var zeroed = ref _rings.Row(_step, BarSeries.Return);
        ref var squares = ref _rings.Row(_step, BarSeries.ReturnSquare);
        ref var downSquares = ref _rings.Row(_step, BarSeries.DownSquare);
        ref var missing = ref _rings.Row(_step, BarSeries.ReturnMissing);
        ref var dollarVolume = ref _rings.Row(_step, BarSeries.DollarVolume);
        ref var dollarVolumeMissing = ref _rings.Row(_step, BarSeries.DollarVolumeMissing);
        ref var amihud = ref _rings.Row(_step, BarSeries.Amihud);
        ref var amihudMissing = ref _rings.Row(_step, BarSeries.AmihudMissing);
        var downside = _downside;
        var zero = Vector<double>.Zero;
        var nan = new Vector<double>(double.NaN);
        var amihudScale = new Vector<double>(AmihudScale);
        for (nuint i = 0; i < n; i += count)
        {
            var c = Vector.LoadUnsafe(ref close, i);
            var lp = Vector.ConditionalSelect(Vector.GreaterThan(c, zero) & Vector.Equals(c - c, zero), Vector.LoadUnsafe(ref logClose, i), nan);
            var r = lp - Vector.LoadUnsafe(ref logPrice, i);
            lp.StoreUnsafe(ref logPrice, i);
            lp.StoreUnsafe(ref logPrices, i);
            r.StoreUnsafe(ref returns, i);

            // Availability starts from a valid close (its log is not NaN); each feature clears the lanes where it is not finite.
            var priced = Vector.Equals(lp, lp);
            priced.StoreUnsafe(ref valid, i);

            // What the windows add and subtract, computed once as the bar enters (see BarRings).
            var rz = Lanes.OrZero(r, out var rMissing);
            rz.StoreUnsafe(ref zeroed, i);
            (rz * rz).StoreUnsafe(ref squares, i);
            rMissing.StoreUnsafe(ref missing, i);
            if (downside)
            {
                var d = Lanes.NegativePart(rz);
                (d * d).StoreUnsafe(ref downSquares, i);
            }

            // The running peak close since listing; a missing close leaves it alone.
            var p = Vector.LoadUnsafe(ref peak, i);
            Vector.ConditionalSelect(priced & ~Vector.LessThanOrEqual(c, p), c, p).StoreUnsafe(ref peak, i);
            if (usesVolume)
            {
                var v = Vector.LoadUnsafe(ref volume, i);
                var traded = Vector.GreaterThanOrEqual(v, zero);
                Lanes.OrZero(Vector.ConditionalSelect(traded, Vector.LoadUnsafe(ref logVolume, i), nan), out var dvMissing).StoreUnsafe(ref dollarVolume, i);
                dvMissing.StoreUnsafe(ref dollarVolumeMissing, i);
                Lanes.OrZero(Vector.ConditionalSelect(traded, Vector.Abs(r) / Vector.Max(v, Vector<double>.One) * amihudScale, nan), out var amihudMissingNow).StoreUnsafe(ref amihud, i);
                amihudMissingNow.StoreUnsafe(ref amihudMissing, i);
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

    private static double[] NaNs(int n)
    {
        var a = new double[n];
        Array.Fill(a, double.NaN);
        return a;
    }
}
