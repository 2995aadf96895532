using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
            _d11[i] = _m11[(i * w) + i];
            _d21[i] = _m21[(i * w) + i];
        }

        // Per asset, 4 at a time: sᵢᵢ, sdᵢ, 1/sdᵢ (0 outside the estimate), and Σμⱼ², Σμⱼ·S1ⱼ, ΣS2ⱼ, Σsdⱼμⱼ, Σsdⱼ·S1ⱼ.
        ReadOnlySpan<Vector256<double>> one = Row(_one, 0), mu = Row(_mu, 0), s1 = Row(_s1, 0), d11 = Row(_d11, 0), d21 = Row(_d21, 0);
        ReadOnlySpan<Vector256<double>> r22 = Row(_r22, 0), d22 = Row(_m22Diagonal, 0);
        Span<Vector256<double>> sii = Vector(_sii), sd = Vector(_sd), invSd = Vector(_invSd);
        var vt = Vector256.Create((double)t);
        ReadOnlySpan<Vector256<double>> r21 = Row(_r21, 0);
        Vector256<double> muSqV = default, muS1V = default, s2SumV = default, sdMuV = default, sdS1V = default, muR21V = default;
        var sdCount = 0;
        for (var k = 0; k < sii.Length; k++)
        {
            var live = Vector256.Equals(one[k], Vector256<double>.One);
            sii[k] = Vector256.ConditionalSelect(live, Vector256.Max(Vector256<double>.Zero, (d11[k] / vt) - (mu[k] * mu[k])), Vector256<double>.Zero);
            sd[k] = Vector256.Sqrt(sii[k]);
            var positive = Vector256.GreaterThan(sd[k], Vector256<double>.Zero);
            invSd[k] = Vector256.ConditionalSelect(positive, Vector256<double>.One / sd[k], Vector256<double>.Zero);
            sdCount += BitOperations.PopCount(positive.ExtractMostSignificantBits());
            muSqV += mu[k] * mu[k];
            muS1V += mu[k] * s1[k];
            s2SumV += one[k] * d11[k];
            sdMuV += sd[k] * mu[k];
            sdS1V += sd[k] * s1[k];
            muR21V += mu[k] * r21[k];
        }

        double muSq = Sum(muSqV), muS1 = Sum(muS1V), s2Sum = Sum(s2SumV), sdMu = Sum(sdMuV), sdS1 = Sum(sdS1V), muR21 = Sum(muR21V);

        // One pass over each live row: S, ΣS², Σⱼ≠ᵢ sᵢⱼ/sdⱼ, and the weighted row sums of the moments.
        Array.Clear(_rowSums);
        for (var i = 0; i < n; i++)
        {
            if (_one[i] != 0)
            {
                _s[(i * w) + i] = _sii[i];
                RowPass(i);
            }
        }

        // Per asset again: Σᵢⱼ Σₜ xᵢ²xⱼ² (π's numerator), ρ's diagonal terms, and its off-diagonal θ terms weighted by sdⱼ / sdᵢ.
        var rows = MemoryMarshal.Cast<double, Vector256<double>>(_rowSums.AsSpan());
        var (vSdMu, vSdS1) = (Vector256.Create(sdMu), Vector256.Create(sdS1));
        var (three, four, six) = (Vector256.Create(3.0), Vector256.Create(4.0), Vector256.Create(6.0));
        Vector256<double> sumS2V = default, rSumV = default, c22V = default, rhoDiagV = default, rhoOffV = default;
        var vectors = sii.Length;
        for (var k = 0; k < vectors; k++)
        {
            var live = Vector256.Equals(one[k], Vector256<double>.One);
            var (rowS2, rowOff, muM11) = (rows[k], rows[vectors + k], rows[(2 * vectors) + k]);
            var (sdM31, sdM21, sdM11) = (rows[(3 * vectors) + k], rows[(4 * vectors) + k], rows[(5 * vectors) + k]);
            var (m, y1, y2, y3) = (mu[k], s1[k], d11[k], d21[k]);
            sumS2V += rowS2;
            rSumV += rowOff * invSd[k];
            c22V += Vector256.ConditionalSelect(live, r22[k] + (four * m * muM11), Vector256<double>.Zero);
            var m2 = m * m;
            var c4 = d22[k] - (four * m * y3) + (six * m2 * y2) - (four * m2 * m * y1) + (vt * m2 * m2);
            rhoDiagV += Vector256.ConditionalSelect(live, (c4 / vt) - (sii[k] * sii[k]), Vector256<double>.Zero);
            // Σⱼ sdⱼ Σₜ xᵢ³xⱼ over every live j, then without j = i; minus T·sᵢᵢ·Σⱼ≠ᵢ sdⱼ sᵢⱼ.
            var c31 = sdM31 - (y3 * vSdMu) - (three * m * sdM21) + (three * m * y2 * vSdMu) + (three * m2 * sdM11)
                - (three * m2 * y1 * vSdMu) - (m2 * m * vSdS1) + (vt * m2 * m * vSdMu) - (sd[k] * c4);
            var sdS = (sdM11 / vt) - (m * vSdMu) - (sd[k] * sii[k]);
            var positive = Vector256.GreaterThan(sd[k], Vector256<double>.Zero);
            rhoOffV += Vector256.ConditionalSelect(positive, (c31 - (vt * sii[k] * sdS)) * invSd[k], Vector256<double>.Zero);
        }

        double rSum = Sum(rSumV), sumS2 = Sum(sumS2V), c22Total = Sum(c22V) - (4 * muR21), rhoDiag = Sum(rhoDiagV), rhoOff = Sum(rhoOffV);

        // Each pair i ≠ j is in rSum twice.
        var pairs = sdCount * (sdCount - 1) / 2;
        var rBar = pairs > 0 ? rSum / 2 / pairs : 0;
        var gamma = Gamma(rBar);
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
    /// Row <paramref name="i"/> of S into <see cref="_s"/> (the diagonal, already there, kept; columns outside the
    /// estimate 0) and the row's sums: Σⱼ sᵢⱼ², Σⱼ≠ᵢ sᵢⱼ/sdⱼ, and of the moment sums Σμⱼ·M11, Σsdⱼ·M31,
    /// Σsdⱼ·M21, Σsdⱼ·M11 over the live j.
    /// </summary>
    private void RowPass(int i)
    {
        var w = _stride;
        var row = i * w;
        ReadOnlySpan<Vector256<double>> m11 = Row(_m11, row), m21 = Row(_m21, row), m31 = Row(_m31, row);
        ReadOnlySpan<Vector256<double>> one = Row(_one, 0), mu = Row(_mu, 0), sd = Row(_sd, 0), invSd = Row(_invSd, 0);
        var s = MemoryMarshal.Cast<double, Vector256<double>>(_s.AsSpan(row, w));
        var (diagAt, diagLane) = Diagonal(i);
        var sii = Vector256.Create(_s[row + i]);
        var perBar = Vector256.Create(1.0 / _t);
        var vmu = Vector256.Create(_mu[i]);
        Vector256<double> s2 = default, off = default, c = default, d = default, e = default, f = default;
        for (var k = 0; k < s.Length; k++)
        {
            var x = ((m11[k] * perBar) - (vmu * mu[k])) * one[k];
            var offX = x;
            if (k == diagAt)
            {
                x = Vector256.ConditionalSelect(diagLane, sii, x);
                offX = Vector256.ConditionalSelect(diagLane, Vector256<double>.Zero, x);
            }

            s[k] = x;
            s2 += x * x;
            off += offX * invSd[k];
            c += mu[k] * m11[k];
            d += sd[k] * m31[k];
            e += sd[k] * m21[k];
            f += sd[k] * m11[k];
        }

        (_rowSums[i], _rowSums[(w * 1) + i], _rowSums[(w * 2) + i]) = (Sum(s2), Sum(off), Sum(c));
        (_rowSums[(w * 3) + i], _rowSums[(w * 4) + i], _rowSums[(w * 5) + i]) = (Sum(d), Sum(e), Sum(f));
    }

    /// <summary>γ = Σ over live i ≠ j of (r̄·sdᵢ·sdⱼ − sᵢⱼ)² (outside the estimate both terms are 0).</summary>
    private double Gamma(double rBar)
    {
        var w = _stride;
        var sd = Row(_sd, 0);
        double gamma = 0;
        for (var i = 0; i < _n; i++)
        {
            if (_one[i] == 0)
            {
                continue;
            }

            var s = Row(_s, i * w);
            var (diagAt, diagLane) = Diagonal(i);
            var r = Vector256.Create(rBar * _sd[i]);
            var sum = Vector256<double>.Zero;
            for (var k = 0; k < s.Length; k++)
            {
                var x = (r * sd[k]) - s[k];
                if (k == diagAt)
                {
                    x = Vector256.ConditionalSelect(diagLane, Vector256<double>.Zero, x);
                }

                sum += x * x;
            }

            gamma += Sum(sum);
        }

        return gamma;
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

    private static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
