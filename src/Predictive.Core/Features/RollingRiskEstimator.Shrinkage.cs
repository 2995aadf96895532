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
        var sdCount = 0;
        for (var i = 0; i < n; i++)
        {
            if (_one[i] == 0)
            {
                continue;
            }

            var sii = Math.Max(0, (_m11[(i * w) + i] / t) - (_mu[i] * _mu[i]));
            _s[(i * w) + i] = sii;
            _sd[i] = Math.Sqrt(sii);
            _invSd[i] = _sd[i] > 0 ? 1 / _sd[i] : 0;
            sdCount += _sd[i] > 0 ? 1 : 0;
        }

        // One pass over each live row: S, ΣS², Σⱼ≠ᵢ sᵢⱼ/sdⱼ, and the row sums of the fourth moments.
        double rSum = 0, sumS2 = 0, c22Total = 0, rhoDiag = 0, rhoOff = 0;
        double muSq = 0, muS1 = 0, s2Sum = 0, sdMu = 0, sdS1 = 0;
        for (var j = 0; j < n; j++)
        {
            // Σμⱼ², Σμⱼ·S1ⱼ, ΣS2ⱼ, Σsdⱼμⱼ, Σsdⱼ·S1ⱼ over the live assets.
            muSq += _mu[j] * _mu[j];
            muS1 += _mu[j] * _s1[j];
            s2Sum += _one[j] * _m11[(j * w) + j];
            sdMu += _sd[j] * _mu[j];
            sdS1 += _sd[j] * _s1[j];
        }

        for (var i = 0; i < n; i++)
        {
            if (_one[i] == 0)
            {
                continue;
            }

            var row = i * w;
            var sums = RowPass(i);
            sumS2 += sums.S2;
            rSum += sums.OffDiagonal * _invSd[i];

            // Σᵢⱼ Σₜ xᵢ²xⱼ² (π's numerator) and, per row, the off-diagonal θ terms of ρ weighted by sdⱼ / sdᵢ.
            double mu = _mu[i], s1 = _s1[i], s2 = _m11[row + i], s3 = _m21[row + i], s4 = _m22Diagonal[i];
            c22Total += _r22[i] - (4 * sums.MuM21) + (4 * mu * sums.MuM11);
            var mu2 = mu * mu;
            var c4 = s4 - (4 * mu * s3) + (6 * mu2 * s2) - (4 * mu2 * mu * s1) + (t * mu2 * mu2);
            var sii = _s[row + i];
            rhoDiag += (c4 / t) - (sii * sii);
            if (_sd[i] > 0)
            {
                // Σⱼ sdⱼ Σₜ xᵢ³xⱼ over every live j, then without j = i; minus T·sᵢᵢ·Σⱼ≠ᵢ sdⱼ sᵢⱼ.
                var c31 = sums.SdM31 - (s3 * sdMu) - (3 * mu * sums.SdM21) + (3 * mu * s2 * sdMu) + (3 * mu2 * sums.SdM11)
                    - (3 * mu2 * s1 * sdMu) - (mu2 * mu * sdS1) + (t * mu2 * mu * sdMu) - (_sd[i] * c4);
                var sdS = (sums.SdM11 / t) - (mu * sdMu) - (_sd[i] * sii);
                rhoOff += (c31 - (t * sii * sdS)) * _invSd[i];
            }
        }

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
    /// estimate 0) and the row's sums: Σⱼ sᵢⱼ², Σⱼ≠ᵢ sᵢⱼ/sdⱼ, and of the moment sums Σμⱼ·M21, Σμⱼ·M11, Σsdⱼ·M31,
    /// Σsdⱼ·M21, Σsdⱼ·M11 over the live j.
    /// </summary>
    private RowSums RowPass(int i)
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
        Vector256<double> s2 = default, off = default, b = default, c = default, d = default, e = default, f = default;
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
            b += mu[k] * m21[k];
            c += mu[k] * m11[k];
            d += sd[k] * m31[k];
            e += sd[k] * m21[k];
            f += sd[k] * m11[k];
        }

        return new RowSums(Sum(s2), Sum(off), Sum(b), Sum(c), Sum(d), Sum(e), Sum(f));
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

    /// <summary>The padded row (or per-asset vector, at 0) from <paramref name="start"/> as vectors.</summary>
    private ReadOnlySpan<Vector256<double>> Row(double[] values, int start) =>
        MemoryMarshal.Cast<double, Vector256<double>>(values.AsSpan(start, _stride));

    /// <summary>The vector of a row that holds column <paramref name="i"/>, and the mask of its lane.</summary>
    private static (int Vector, Vector256<double> Lane) Diagonal(int i) =>
        (i / Vector256<double>.Count, Vector256.Equals(Vector256.Create(0.0, 1, 2, 3), Vector256.Create((double)(i % Vector256<double>.Count))));

    private static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));

    /// <summary>One row's sums (<see cref="RowPass"/>).</summary>
    private readonly record struct RowSums(double S2, double OffDiagonal, double MuM21, double MuM11, double SdM31, double SdM21, double SdM11);
}
