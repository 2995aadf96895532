using System.Numerics;
using System.Runtime.InteropServices;

namespace Predictive.Core.Backtesting;

/// <summary>
/// The per-bar arithmetic of the backtester's hot loop over the assets, in SIMD vectors where the hardware has them.
/// Element-wise results are the same as the scalar formulas; only the order of summation differs.
/// </summary>
internal static class BarMath
{
    /// <summary>The value cash + Σ qᵢ·pᵢ (assets not held count 0, even unpriced), as <see cref="Mark"/> sums it.</summary>
    public static double Value(ReadOnlySpan<double> qty, ReadOnlySpan<double> price, double cash)
    {
        var n = qty.Length;
        var a = 0;
        var value = cash;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var q = MemoryMarshal.Cast<double, Vector<double>>(qty);
            var p = MemoryMarshal.Cast<double, Vector<double>>(price);
            var sum = Vector<double>.Zero;
            for (var k = 0; k < q.Length; k++)
            {
                sum += Vector.ConditionalSelect(Vector.Equals(q[k], Vector<double>.Zero), Vector<double>.Zero, q[k] * p[k]);
            }

            value += Vector.Sum(sum);
            a = q.Length * Vector<double>.Count;
        }

        for (; a < n; a++)
        {
            if (qty[a] != 0)
            {
                value += qty[a] * price[a];
            }
        }

        return value;
    }

    /// <summary>
    /// The value cash + Σ qᵢ·pᵢ (assets not held count 0, even unpriced) and the weights qᵢ·pᵢ / value (0 when not held
    /// or when the value is not positive; NaN for a held asset without a price).
    /// </summary>
    public static double Mark(ReadOnlySpan<double> qty, ReadOnlySpan<double> price, double cash, Span<double> weights)
    {
        var n = qty.Length;
        var value = Value(qty, price, cash);
        if (value <= 0)
        {
            weights.Clear();
            return value;
        }

        var a = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var q = MemoryMarshal.Cast<double, Vector<double>>(qty);
            var p = MemoryMarshal.Cast<double, Vector<double>>(price);
            var w = MemoryMarshal.Cast<double, Vector<double>>(weights);
            var v = new Vector<double>(value);
            for (var k = 0; k < q.Length; k++)
            {
                w[k] = Vector.ConditionalSelect(Vector.Equals(q[k], Vector<double>.Zero), Vector<double>.Zero, q[k] * p[k] / v);
            }

            a = q.Length * Vector<double>.Count;
        }

        for (; a < n; a++)
        {
            weights[a] = qty[a] == 0 ? 0 : qty[a] * price[a] / value;
        }

        return value;
    }

    /// <summary>Σ|wᵢ − w*ᵢ| and max|wᵢ − w*ᵢ| (both NaN when a weight is NaN).</summary>
    public static (double L1, double MaxAbs) Drift(ReadOnlySpan<double> weights, ReadOnlySpan<double> target)
    {
        var n = weights.Length;
        var a = 0;
        double l1 = 0, max = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var w = MemoryMarshal.Cast<double, Vector<double>>(weights);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            Vector<double> sum = Vector<double>.Zero, top = Vector<double>.Zero;
            for (var k = 0; k < w.Length; k++)
            {
                var d = Vector.Abs(w[k] - t[k]);
                sum += d;
                top = Vector.Max(top, d);
            }

            l1 = Vector.Sum(sum);
            for (var k = 0; k < Vector<double>.Count; k++)
            {
                max = Math.Max(max, top[k]);
            }

            a = w.Length * Vector<double>.Count;
        }

        for (; a < n; a++)
        {
            var d = Math.Abs(weights[a] - target[a]);
            l1 += d;
            max = Math.Max(max, d);
        }

        // A vector max may drop a NaN; the sum keeps it, and an unpriced holding must not look inside any band.
        return double.IsNaN(l1) ? (double.NaN, double.NaN) : (l1, max);
    }

    /// <summary>Σ over wᵢ ≠ 0 of wᵢ·(pᵢ / prevᵢ − 1): the frictionless return of <paramref name="weights"/>.</summary>
    public static double TargetReturn(ReadOnlySpan<double> weights, ReadOnlySpan<double> price, ReadOnlySpan<double> previous)
    {
        var n = weights.Length;
        var a = 0;
        var r = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var w = MemoryMarshal.Cast<double, Vector<double>>(weights);
            var p = MemoryMarshal.Cast<double, Vector<double>>(price);
            var prev = MemoryMarshal.Cast<double, Vector<double>>(previous);
            var sum = Vector<double>.Zero;
            for (var k = 0; k < w.Length; k++)
            {
                var term = w[k] * ((p[k] / prev[k]) - Vector<double>.One);
                sum += Vector.ConditionalSelect(Vector.Equals(w[k], Vector<double>.Zero), Vector<double>.Zero, term);
            }

            r = Vector.Sum(sum);
            a = w.Length * Vector<double>.Count;
        }

        for (; a < n; a++)
        {
            if (weights[a] != 0)
            {
                r += weights[a] * ((price[a] / previous[a]) - 1);
            }
        }

        return r;
    }
}
