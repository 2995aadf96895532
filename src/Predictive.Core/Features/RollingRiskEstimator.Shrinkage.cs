using System.Runtime.Intrinsics;

namespace Predictive.Core.Features;

/// <summary>Finishing the Ledoit-Wolf estimate from the window's moment sums.</summary>
public sealed partial class RollingRiskEstimator
{
    /// <summary>The sample covariance of the live assets into <see cref="_s"/>, then r̄ and the shrinkage intensity δ.</summary>
    private (double RBar, double Delta) Shrinkage()
    {
        int n = _n, t = _t;
        var live = _live.AsSpan(0, _liveCount);
        foreach (var i in live)
        {
            foreach (var j in live)
            {
                _s[(i * n) + j] = (_m11[(i * n) + j] / t) - (_mu[i] * _mu[j]);
            }

            _s[(i * n) + i] = Math.Max(0, _s[(i * n) + i]);
            _sd[i] = Math.Sqrt(_s[(i * n) + i]);
            _invSd[i] = _sd[i] > 0 ? 1 / _sd[i] : 0;
        }

        double rSum = 0;
        var pairs = 0;
        for (var a = 0; a < live.Length; a++)
        {
            var i = live[a];
            if (!(_sd[i] > 0))
            {
                continue;
            }

            double row = 0;
            for (var b = a + 1; b < live.Length; b++)
            {
                var j = live[b];
                if (_sd[j] > 0)
                {
                    row += _s[(i * n) + j] * _invSd[j];
                    pairs++;
                }
            }

            rSum += row * _invSd[i];
        }

        var rBar = pairs > 0 ? rSum / pairs : 0;
        double gamma = 0, sumS2 = 0;
        foreach (var i in live)
        {
            foreach (var j in live)
            {
                var s = _s[(i * n) + j];
                sumS2 += s * s;
                if (i != j)
                {
                    var d = (rBar * _sd[i] * _sd[j]) - s;
                    gamma += d * d;
                }
            }
        }

        if (!(gamma > 0))
        {
            return (rBar, 0);
        }

        // Shared sums over the live assets: Σμⱼ², Σμⱼ·S1ⱼ, ΣS2ⱼ, Σsdⱼμⱼ, Σsdⱼ·S1ⱼ.
        double muSq = 0, muS1 = 0, s2Sum = 0, sdMu = 0, sdS1 = 0;
        foreach (var j in live)
        {
            muSq += _mu[j] * _mu[j];
            muS1 += _mu[j] * _s1[j];
            s2Sum += _m11[(j * n) + j];
            sdMu += _sd[j] * _mu[j];
            sdS1 += _sd[j] * _s1[j];
        }

        // Σᵢⱼ Σₜ xᵢ²xⱼ² (π's numerator) and, per row, the off-diagonal θ terms of ρ weighted by sdⱼ / sdᵢ.
        double c22Total = 0, rhoDiag = 0, rhoOff = 0;
        foreach (var i in live)
        {
            var row = i * n;
            var (m22, m21, m11, sdM31, sdM21, sdM11) = RowSums(row);
            double mu = _mu[i], s1 = _s1[i], s2 = _m11[row + i], s3 = _m21[row + i], s4 = _m22[row + i];
            c22Total += m22 - (4 * m21) + (4 * mu * m11);
            var mu2 = mu * mu;
            var c4 = s4 - (4 * mu * s3) + (6 * mu2 * s2) - (4 * mu2 * mu * s1) + (t * mu2 * mu2);
            var sii = _s[row + i];
            rhoDiag += (c4 / t) - (sii * sii);
            if (_sd[i] > 0)
            {
                // Σⱼ sdⱼ Σₜ xᵢ³xⱼ over every live j, then without j = i; minus T·sᵢᵢ·Σⱼ≠ᵢ sdⱼ sᵢⱼ.
                var c31 = sdM31 - (s3 * sdMu) - (3 * mu * sdM21) + (3 * mu * s2 * sdMu) + (3 * mu2 * sdM11)
                    - (3 * mu2 * s1 * sdMu) - (mu2 * mu * sdS1) + (t * mu2 * mu * sdMu) - (_sd[i] * c4);
                var sdS = (sdM11 / t) - (mu * sdMu) - (_sd[i] * sii);
                rhoOff += (c31 - (t * sii * sdS)) * _invSd[i];
            }
        }

        c22Total += (2 * muSq * s2Sum) - (4 * muS1 * muSq) + (t * muSq * muSq);
        var pi = (c22Total / t) - sumS2;
        var rho = rhoDiag + (rBar * rhoOff / t);
        var kappa = (pi - rho) / gamma;
        return (rBar, Math.Clamp(kappa / t, 0, 1));
    }

    /// <summary>
    /// Row <paramref name="row"/>'s sums over the live assets j (non-live ones have μ = sd = 0 and no 1 in
    /// <see cref="_one"/>, so they add 0): ΣM22, Σμⱼ·M21, Σμⱼ·M11, Σsdⱼ·M31, Σsdⱼ·M21, Σsdⱼ·M11. In 4-wide vectors of
    /// fixed width with a fixed reduction order, so the bits are the same on every x64 CPU.
    /// </summary>
    private (double M22, double M21, double M11, double SdM31, double SdM21, double SdM11) RowSums(int row)
    {
        var n = _n;
        ReadOnlySpan<double> m22 = _m22.AsSpan(row, n), m21 = _m21.AsSpan(row, n), m11 = _m11.AsSpan(row, n), m31 = _m31.AsSpan(row, n);
        ReadOnlySpan<double> one = _one, mu = _mu, sd = _sd;
        Vector256<double> a = default, b = default, c = default, d = default, e = default, f = default;
        var j = 0;
        for (; j + 4 <= n; j += 4)
        {
            var vm21 = Vector256.Create(m21.Slice(j, 4));
            var vm11 = Vector256.Create(m11.Slice(j, 4));
            var vmu = Vector256.Create(mu.Slice(j, 4));
            var vsd = Vector256.Create(sd.Slice(j, 4));
            a += Vector256.Create(one.Slice(j, 4)) * Vector256.Create(m22.Slice(j, 4));
            b += vmu * vm21;
            c += vmu * vm11;
            d += vsd * Vector256.Create(m31.Slice(j, 4));
            e += vsd * vm21;
            f += vsd * vm11;
        }

        double sa = Sum(a), sb = Sum(b), sc = Sum(c), sdd = Sum(d), se = Sum(e), sf = Sum(f);
        for (; j < n; j++)
        {
            sa += one[j] * m22[j];
            sb += mu[j] * m21[j];
            sc += mu[j] * m11[j];
            sdd += sd[j] * m31[j];
            se += sd[j] * m21[j];
            sf += sd[j] * m11[j];
        }

        return (sa, sb, sc, sdd, se, sf);

        static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
    }
}
