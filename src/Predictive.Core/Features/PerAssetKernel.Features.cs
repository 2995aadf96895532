using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Predictive.Core.Features;

/// <summary>The per-asset kernel's feature pass: each feature from the state <see cref="Advance"/> left.</summary>
internal sealed partial class PerAssetKernel
{
    /// <summary>
    /// Computes each feature into the <c>[feature, asset]</c> scratch block from the precomputed operations (one dispatch
    /// per feature and bar) and, for the features not z-scored afterwards, clears availability where a value is not finite
    /// in the same loop (the z-scored ones are checked after normalization).
    /// </summary>
    private void WriteFeatures(Span<Vector<long>> valid)
    {
        var nan = new Vector<double>(double.NaN);
        var zero = Vector<double>.Zero;
        var n = (nuint)valid.Length;
        var count = (nuint)Vector<double>.Count;
        ref var flags = ref MemoryMarshal.GetReference(valid);
        ref var scratch = ref MemoryMarshal.GetArrayDataReference(_scratch);
        for (var k = 0; k < _ops.Length; k++)
        {
            ref readonly var op = ref _ops[k];
            var check = !_zScored[k];
            ref var output = ref Unsafe.Add(ref scratch, k * _width);
            ref var a = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(op.A), op.AtA);
            ref var b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(op.B), op.AtB);
            ref var c = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(op.C), op.AtC);
            var constant = new Vector<double>(op.Constant);
            switch (op.Kind)
            {
                case FeatureKind.LogReturn:
                    // A is the log price now, B the ring of log prices: the row of the bar `window` bars back.
                    b = ref Unsafe.Add(ref b, _logPrices.Offset(_step - op.Window));
                    for (nuint i = 0; i < n; i++)
                    {
                        Put(Vector.LoadUnsafe(ref a, i * count) - Vector.LoadUnsafe(ref b, i * count), ref output, ref flags, i, check);
                    }

                    break;
                case FeatureKind.Drawdown:
                    // A: the close, B: the log price (NaN for an invalid close), C: the peak close.
                    for (nuint i = 0; i < n; i++)
                    {
                        var lp = Vector.LoadUnsafe(ref b, i * count);
                        var drawdown = (Vector.LoadUnsafe(ref a, i * count) / Vector.LoadUnsafe(ref c, i * count)) - Vector<double>.One;
                        Put(Vector.ConditionalSelect(Vector.Equals(lp, lp), drawdown, nan), ref output, ref flags, i, check);
                    }

                    break;
                case FeatureKind.EwmaVolatility:
                    _ewma[op.Window].Value(Lanes.AsVectors(_scratch.AsSpan(k * _width, _width)), valid, check);
                    break;
                case FeatureKind.RealizedVolatility or FeatureKind.DownsideVolatility:
                    // A: the sum of squares, B: the missing count, constant: 1 / window (a multiply is several times cheaper than a divide).
                    for (nuint i = 0; i < n; i++)
                    {
                        var v = Vector.SquareRoot(Vector.Max(Vector.LoadUnsafe(ref a, i * count), zero) * constant);
                        Put(Vector.ConditionalSelect(Vector.Equals(Vector.LoadUnsafe(ref b, i * count), zero), v, nan), ref output, ref flags, i, check);
                    }

                    break;
                case FeatureKind.Momentum:
                    // A: the sum, B: the sum of squares, C: the missing count.
                    for (nuint i = 0; i < n; i++)
                    {
                        var squares = Vector.LoadUnsafe(ref b, i * count);
                        var scaled = Vector.ConditionalSelect(Vector.GreaterThan(squares, zero), Vector.LoadUnsafe(ref a, i * count) / Vector.SquareRoot(squares), zero);
                        Put(Vector.ConditionalSelect(Vector.Equals(Vector.LoadUnsafe(ref c, i * count), zero), scaled, nan), ref output, ref flags, i, check);
                    }

                    break;
                case FeatureKind.LogDollarVolume or FeatureKind.AmihudIlliquidity:
                    // A: the sum, B: the missing count, constant: 1 / window.
                    for (nuint i = 0; i < n; i++)
                    {
                        var mean = Vector.LoadUnsafe(ref a, i * count) * constant;
                        Put(Vector.ConditionalSelect(Vector.Equals(Vector.LoadUnsafe(ref b, i * count), zero), mean, nan), ref output, ref flags, i, check);
                    }

                    break;
                default:
                    for (nuint i = 0; i < n; i++)
                    {
                        Put(nan, ref output, ref flags, i, check);
                    }

                    break;
            }
        }
    }

    /// <summary>Stores vector <paramref name="i"/> of a feature and, when <paramref name="check"/>, clears its lanes of <paramref name="valid"/> where it is not finite (x − x is 0 only for a finite x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector<double> x, ref double output, ref Vector<long> valid, nuint i, bool check)
    {
        x.StoreUnsafe(ref output, i * (nuint)Vector<double>.Count);
        if (check)
        {
            Unsafe.Add(ref valid, i) &= Vector.Equals(x - x, Vector<double>.Zero);
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
                FeatureKind.RealizedVolatility => Window(item, BarSeries.ReturnSquare, BarSeries.ReturnMissing),
                FeatureKind.DownsideVolatility => Window(item, BarSeries.DownSquare, BarSeries.ReturnMissing),
                FeatureKind.Momentum => Window(item, BarSeries.Return, BarSeries.ReturnSquare, BarSeries.ReturnMissing),
                FeatureKind.LogDollarVolume => Window(item, BarSeries.DollarVolume, BarSeries.DollarVolumeMissing),
                FeatureKind.AmihudIlliquidity => Window(item, BarSeries.Amihud, BarSeries.AmihudMissing),
                FeatureKind.Drawdown => new FeatureOp(item.Kind, 0, 0, _close, _logPrice, _peak),
                _ => new FeatureOp(item.Kind, 0, 0, [], [], []),
            };
        }

        return ops;
    }

    /// <summary>A feature read from the sums of series <paramref name="a"/>, <paramref name="b"/> (and <paramref name="c"/>) of its window.</summary>
    private FeatureOp Window(PlanItem item, BarSeries a, BarSeries b, BarSeries c = BarSeries.Return)
    {
        var w = _windows[item.Index];
        return new FeatureOp(item.Kind, w.Window, 1.0 / w.Window, w.Sums, w.Sums, w.Sums, _rings.Offset(a), _rings.Offset(b), _rings.Offset(c));
    }
}

/// <summary>
/// One feature bound to the state it reads: its kind, its window (or EWMA index), a constant and up to three arrays, each
/// read from an offset (a window's sums share one array).
/// </summary>
internal readonly record struct FeatureOp(FeatureKind Kind, int Window, double Constant, double[] A, double[] B, double[] C, int AtA = 0, int AtB = 0, int AtC = 0);
