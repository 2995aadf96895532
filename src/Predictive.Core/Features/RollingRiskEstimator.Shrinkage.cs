using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Predictive.Core.Features.Lanes;

namespace Predictive.Core.Features;

/// <summary>Finishing the Ledoit-Wolf estimate from the window's moment sums.</summary>
/// <remarks>
/// Assets outside the estimate (missing or constant) have μ = sd = 1/sd = 0 and 0 in <see cref="_one"/>, and their
/// columns of <see cref="_s"/> are 0, so full padded rows can be summed: they add 0. Only the diagonal, which the
/// off-diagonal sums leave out, needs a mask.
/// </remarks>
public sealed partial class RollingRiskEstimator
{
    /// <summary>The sample covariance of the live assets into <see cref="_s"/>, then r̄ and the shrinkage intensity δ.</summary>
    private (double RBar, double Delta) Shrinkage()
    {
        int n = _n, w = _stride, t = _t;
        for (var i = 0; i < n; i++)
        {
            _d21[i] = _m21[(i * w) + i];
        }

        // Per asset, 4 at a time (sᵢᵢ, sdᵢ and 1/sdᵢ are the basics'): Σμⱼ², Σμⱼ·S1ⱼ, ΣS2ⱼ, Σsdⱼμⱼ, Σsdⱼ·S1ⱼ.
        ReadOnlySpan<Vector256<double>> one = Row(_one, 0), mu = Row(_mu, 0), s1 = Row(_s1, 0), d11 = Row(_d11, 0), d21 = Row(_d21, 0);
        ReadOnlySpan<Vector256<double>> r22 = Row(_r22, 0), d22 = Row(_m22Diagonal, 0);
        ReadOnlySpan<Vector256<double>> sii = Vector(_sii), sd = Vector(_sd), invSd = Vector(_invSd);
        var vt = Vector256.Create((double)t);
        ReadOnlySpan<Vector256<double>> r21 = Row(_r21, 0);
        Vector256<double> muSqV = default, muS1V = default, s2SumV = default, sdMuV = default, sdS1V = default, muR21V = default;
        var sdCount = _sdCount;
        for (var k = 0; k < sii.Length; k++)
        {
            muSqV += mu[k] * mu[k];
            muS1V += mu[k] * s1[k];
            s2SumV += one[k] * d11[k];
            sdMuV += sd[k] * mu[k];
            sdS1V += sd[k] * s1[k];
            muR21V += mu[k] * r21[k];
        }

        double muSq = Sum(muSqV), muS1 = Sum(muS1V), s2Sum = Sum(s2SumV), sdMu = Sum(sdMuV), sdS1 = Sum(sdS1V), muR21 = Sum(muR21V);

        // One pass over each live row: S, and every total that weights a row by a per-asset coefficient, kept as vectors.
        var totals = RowPasses();

        // Per asset again: Σᵢⱼ Σₜ xᵢ²xⱼ² (π's numerator), ρ's diagonal terms, and the parts of its off-diagonal θ terms
        // (weighted by sdⱼ / sdᵢ) that are not in the row totals.
        var (vSdMu, vSdS1) = (Vector256.Create(sdMu), Vector256.Create(sdS1));
        var (three, four, six) = (Vector256.Create(3.0), Vector256.Create(4.0), Vector256.Create(6.0));
        Vector256<double> c22V = default, rhoDiagV = default, rhoOffV = default, sd2V = default, sd4V = default;
        for (var k = 0; k < sii.Length; k++)
        {
            var live = Vector256.Equals(one[k], Vector256<double>.One);
            var (m, y1, y2, y3) = (mu[k], s1[k], d11[k], d21[k]);
            var sd2 = sd[k] * sd[k];
            sd2V += sd2;
            sd4V += sd2 * sd2;
            c22V += Vector256.ConditionalSelect(live, r22[k], Vector256<double>.Zero);
            var m2 = m * m;
            var c4 = d22[k] - (four * m * y3) + (six * m2 * y2) - (four * m2 * m * y1) + (vt * m2 * m2);
            rhoDiagV += Vector256.ConditionalSelect(live, (c4 / vt) - (sii[k] * sii[k]), Vector256<double>.Zero);
            // Σⱼ sdⱼ Σₜ xᵢ³xⱼ over every live j, then without j = i, minus T·sᵢᵢ·Σⱼ≠ᵢ sdⱼ sᵢⱼ: the terms in
            // Σⱼ sdⱼ·M31ᵢⱼ, Σⱼ sdⱼ·M21ᵢⱼ and Σⱼ sdⱼ·M11ᵢⱼ are in totals.Theta.
            var rest = -(y3 * vSdMu) + (three * m * y2 * vSdMu) - (three * m2 * y1 * vSdMu) - (m2 * m * vSdS1) + (vt * m2 * m * vSdMu)
                - (sd[k] * c4) + (vt * sii[k] * ((m * vSdMu) + (sd[k] * sii[k])));
            var positive = Vector256.GreaterThan(sd[k], Vector256<double>.Zero);
            rhoOffV += Vector256.ConditionalSelect(positive, rest * invSd[k], Vector256<double>.Zero);
        }

        double rSum = Sum(totals.Off), sumS2 = Sum(totals.S2), c22Total = Sum(c22V) + Sum(totals.MuM11) - (4 * muR21);
        double rhoDiag = Sum(rhoDiagV), rhoOff = Sum(rhoOffV) + Sum(totals.Theta);

        // Each pair i ≠ j is in rSum twice.
        var pairs = sdCount * (sdCount - 1) / 2;
        var rBar = pairs > 0 ? rSum / 2 / pairs : 0;
        // γ = Σ over live i ≠ j of (r̄·sdᵢ·sdⱼ − sᵢⱼ)², expanded: r̄²·Σᵢ≠ⱼ sdᵢ²sdⱼ² − 2r̄·Σᵢ≠ⱼ sdᵢsdⱼsᵢⱼ + Σᵢ≠ⱼ sᵢⱼ².
        var sdSquares = Sum(sd2V);
        var gamma = (rBar * rBar * ((sdSquares * sdSquares) - Sum(sd4V))) - (2 * rBar * Sum(totals.SdS)) + Sum(totals.OffS2);
        if (!(gamma > 0))
        {
            return (rBar, 0);
        }

        c22Total += (2 * muSq * s2Sum) - (4 * muS1 * muSq) + (t * muSq * muSq);
        var pi = (c22Total / t) - sumS2;
        var rho = rhoDiag + (rBar * rhoOff / t);
        var kappa = (pi - rho) / gamma;
        return (rBar, Math.Clamp(kappa / t, 0, 1));
    }

    /// <summary>
    /// Each live row i of S into <see cref="_s"/> (columns outside the estimate 0), and the row's share of the totals:
    /// Σⱼ sᵢⱼ², Σⱼ≠ᵢ sᵢⱼ/(sdᵢsdⱼ), 4μᵢ·Σⱼ μⱼ·M11ᵢⱼ, ρ's θ terms (Σⱼ sdⱼ·M31ᵢⱼ − 3μᵢ·Σⱼ sdⱼ·M21ᵢⱼ + (3μᵢ² − sᵢᵢ)·Σⱼ sdⱼ·M11ᵢⱼ,
    /// over sdᵢ), and for γ sdᵢ·Σⱼ≠ᵢ sdⱼsᵢⱼ and Σⱼ≠ᵢ sᵢⱼ². Each total stays a vector: the lanes are added once, at the end.
    /// </summary>
    private RowTotals RowPasses()
    {
        var totals = default(RowTotals);
        var w = (nuint)_stride;
        const int Lanes = 4;
        // Every matrix holds n rows of w and every per-asset array w values, w a multiple of the vector width: each load is in bounds.
        ref var m11 = ref MemoryMarshal.GetArrayDataReference(_m11);
        ref var m21 = ref MemoryMarshal.GetArrayDataReference(_m21);
        ref var m31 = ref MemoryMarshal.GetArrayDataReference(_m31);
        ref var s = ref MemoryMarshal.GetArrayDataReference(_s);
        ref var one = ref MemoryMarshal.GetArrayDataReference(_one);
        ref var mu = ref MemoryMarshal.GetArrayDataReference(_mu);
        ref var sd = ref MemoryMarshal.GetArrayDataReference(_sd);
        ref var invSd = ref MemoryMarshal.GetArrayDataReference(_invSd);
        var perBar = Vector256.Create(_perWindow);
        var lanes = Vector256.Create(0.0, 1, 2, 3);
        for (var i = 0; i < _n; i++)
        {
            if (_one[i] == 0)
            {
                continue;
            }

            var row = (nuint)i * w;
            var diagAt = (nuint)(i / Lanes * Lanes);
            var diagLane = Vector256.Equals(lanes, Vector256.Create((double)(i % Lanes)));
            var sii = Vector256.Create(_sii[i]);
            var vmu = Vector256.Create(_mu[i]);
            Vector256<double> s2 = default, off = default, c = default, d = default, e = default, f = default, g = default, h = default;
            for (nuint k = 0; k < w; k += Lanes)
            {
                var (muK, sdK, m11K) = (Vector256.LoadUnsafe(ref mu, k), Vector256.LoadUnsafe(ref sd, k), Vector256.LoadUnsafe(ref m11, row + k));
                var x = Vector256.FusedMultiplyAdd(m11K, perBar, -(vmu * muK)) * Vector256.LoadUnsafe(ref one, k);
                var offX = x;
                if (k == diagAt)
                {
                    x = Vector256.ConditionalSelect(diagLane, sii, x);
                    offX = Vector256.ConditionalSelect(diagLane, Vector256<double>.Zero, x);
                }

                x.StoreUnsafe(ref s, row + k);
                s2 = Vector256.FusedMultiplyAdd(x, x, s2);
                off = Vector256.FusedMultiplyAdd(offX, Vector256.LoadUnsafe(ref invSd, k), off);
                c = Vector256.FusedMultiplyAdd(muK, m11K, c);
                d = Vector256.FusedMultiplyAdd(sdK, Vector256.LoadUnsafe(ref m31, row + k), d);
                e = Vector256.FusedMultiplyAdd(sdK, Vector256.LoadUnsafe(ref m21, row + k), e);
                f = Vector256.FusedMultiplyAdd(sdK, m11K, f);
                g = Vector256.FusedMultiplyAdd(offX, sdK, g);
                h = Vector256.FusedMultiplyAdd(offX, offX, h);
            }

            double muI = _mu[i], invSdI = _invSd[i];
            totals.S2 += s2;
            totals.Off += off * Vector256.Create(invSdI);
            totals.MuM11 += c * Vector256.Create(4 * muI);
            totals.Theta += ((d - (Vector256.Create(3 * muI) * e)) + (Vector256.Create((3 * muI * muI) - _sii[i]) * f)) * Vector256.Create(invSdI);
            totals.SdS += g * Vector256.Create(_sd[i]);
            totals.OffS2 += h;
        }

        return totals;
    }

    /// <summary>The totals <see cref="RowPasses"/> adds each live row to, lane by lane.</summary>
    private struct RowTotals
    {
        public Vector256<double> S2;
        public Vector256<double> Off;
        public Vector256<double> MuM11;
        public Vector256<double> Theta;
        public Vector256<double> SdS;
        public Vector256<double> OffS2;
    }

    /// <summary>
    /// δF + (1 − δ)S into <paramref name="covariance"/> (row-major n × n): fᵢᵢ = sᵢᵢ, fᵢⱼ = r̄·sdᵢ·sdⱼ between live
    /// assets; 0 where a constant asset meets one in the estimate; NaN for a missing asset.
    /// </summary>
    private void Finish(double rBar, double delta, Span<double> covariance)
    {
        int n = _n, w = _stride;
        ReadOnlySpan<Vector256<double>> sd = Row(_sd, 0), one = Row(_one, 0), fill = Row(_fill, 0);
        var output = MemoryMarshal.Cast<double, Vector256<double>>(_row.AsSpan());
        var (vd, v1d) = (Vector256.Create(delta), Vector256.Create(1 - delta));
        for (var i = 0; i < n; i++)
        {
            if (_missing[i] > 0)
            {
                covariance.Slice(i * n, n).Fill(double.NaN);
                continue;
            }

            if (_one[i] == 0)
            {
                _fill.AsSpan(0, n).CopyTo(covariance.Slice(i * n, n));
                continue;
            }

            var s = Row(_s, i * w);
            var (diagAt, diagLane) = Diagonal(i);
            var r = Vector256.Create(rBar * _sd[i]);
            for (var k = 0; k < output.Length; k++)
            {
                var f = r * sd[k];
                if (k == diagAt)
                {
                    f = Vector256.ConditionalSelect(diagLane, s[k], f);
                }

                var live = Vector256.Equals(one[k], Vector256<double>.One);
                output[k] = Vector256.ConditionalSelect(live, (vd * f) + (v1d * s[k]), fill[k]);
            }

            _row.AsSpan(0, n).CopyTo(covariance.Slice(i * n, n));
        }
    }

    /// <summary>A padded per-asset array as vectors, to write.</summary>
    private static Span<Vector256<double>> Vector(double[] values) => MemoryMarshal.Cast<double, Vector256<double>>(values.AsSpan());

    /// <summary>The padded row (or per-asset vector, at 0) from <paramref name="start"/> as vectors.</summary>
    private ReadOnlySpan<Vector256<double>> Row(double[] values, int start) =>
        MemoryMarshal.Cast<double, Vector256<double>>(values.AsSpan(start, _stride));

    /// <summary>The vector of a row that holds column <paramref name="i"/>, and the mask of its lane.</summary>
    private static (int Vector, Vector256<double> Lane) Diagonal(int i) =>
        (i / Vector256<double>.Count, Vector256.Equals(Vector256.Create(0.0, 1, 2, 3), Vector256.Create((double)(i % Vector256<double>.Count))));

}
