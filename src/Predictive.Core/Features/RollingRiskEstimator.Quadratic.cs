using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Predictive.Core.Features;

/// <summary>Quadratic forms of the estimate without writing it out.</summary>
public sealed partial class RollingRiskEstimator
{
    /// <summary>
    /// dᵀΣd for the estimate at <see cref="Bar"/>, entries of assets outside the estimate counting 0 (as a tracking
    /// error reads the covariance <see cref="CopyTo"/> writes, with its NaN as 0), from S and the shrinkage target
    /// without forming Σ: Σ = δF + (1 − δ)S, F with S's diagonal and r̄·sdᵢ·sdⱼ off it, so over the assets in the
    /// estimate dᵀΣd = (1 − δ)·dᵀSd + δ·(Σ dᵢ²sᵢᵢ + r̄·((Σ dᵢsdᵢ)² − Σ dᵢ²sdᵢ²)). NaN when any dᵢ is NaN.
    /// </summary>
    /// <param name="d">One value per asset (e.g. current minus target weights).</param>
    /// <exception cref="InvalidOperationException">The estimator has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException"><paramref name="d"/> has the wrong length.</exception>
    public double Quadratic(ReadOnlySpan<double> d)
    {
        CheckForm(d);

        Finished();
        // d on the assets in the estimate, 0 elsewhere and in the padding.
        var e = _row;
        Array.Clear(e);
        double diagonal = 0, dSd = 0, dSd2 = 0;
        var nan = false;
        for (var i = 0; i < _n; i++)
        {
            nan |= double.IsNaN(d[i]);
            if (_one[i] == 0)
            {
                continue;
            }

            var x = e[i] = d[i];
            var x2 = x * x;
            diagonal += x2 * _s[(i * _stride) + i];
            dSd += x * _sd[i];
            dSd2 += x2 * _sd[i] * _sd[i];
        }

        if (nan)
        {
            return double.NaN;
        }

        // S's rows and e hold w values each, w a multiple of the vector width: each load is in bounds.
        ref var ev = ref MemoryMarshal.GetArrayDataReference(e);
        ref var sRows = ref MemoryMarshal.GetArrayDataReference(_s);
        var w = (nuint)_stride;
        double sample = 0;
        for (var i = 0; i < _n; i++)
        {
            if (e[i] == 0)
            {
                continue;
            }

            var row = (nuint)i * w;
            var sum = Vector256<double>.Zero;
            for (nuint k = 0; k < w; k += (nuint)Vector256<double>.Count)
            {
                sum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref sRows, row + k), Vector256.LoadUnsafe(ref ev, k), sum);
            }

            sample += e[i] * Sum(sum);
        }

        return ((1 - _delta) * sample) + (_delta * (diagonal + (_rBar * ((dSd * dSd) - dSd2))));
    }

    /// <summary>
    /// Bounds on <see cref="Quadratic"/>(d) that need neither Σyᵢ²yⱼ nor Σyᵢ³yⱼ: the estimate is δF + (1 − δ)S with
    /// δ in [0, 1], so dᵀΣd lies between dᵀSd and dᵀFd, and both come from one pass over Σyᵢyⱼ (S's entries,
    /// sᵢⱼ = Σyᵢyⱼ/T − μᵢμⱼ, and r̄ from Σᵢ≠ⱼ sᵢⱼ/(sdᵢsdⱼ)). The bounds are widened by 10⁻⁷ of
    /// (Σ|dᵢ|(sdᵢ + |μᵢ|))², far above the rounding of either computation, so <see cref="Quadratic"/> is always inside.
    /// NaN (both) when any dᵢ is NaN.
    /// </summary>
    /// <param name="d">One value per asset (e.g. current minus target weights).</param>
    /// <exception cref="InvalidOperationException">The estimator has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException"><paramref name="d"/> has the wrong length.</exception>
    public (double Low, double High) QuadraticBounds(ReadOnlySpan<double> d)
    {
        CheckForm(d);

        Basics();
        // d on the assets in the estimate, 0 elsewhere and in the padding; the per-asset sums 4 at a time.
        var e = _row;
        d.CopyTo(e);
        ReadOnlySpan<Vector256<double>> one = Row(_one, 0), mu = Row(_mu, 0), d11 = Row(_d11, 0), sii = Vector(_sii), sd = Vector(_sd), invSd = Vector(_invSd);
        var ev = Vector(e);
        var perBar = Vector256.Create(1.0 / _t);
        Vector256<double> diagonalV = default, dSdV = default, dSd2V = default, eMuV = default, aMuV = default, diagEV = default, diagAV = default, scaleV = default;
        var nan = false;
        for (var k = 0; k < ev.Length; k++)
        {
            nan |= !Vector256.EqualsAll(ev[k], ev[k]);
            var x = ev[k] = Vector256.ConditionalSelect(Vector256.Equals(one[k], Vector256<double>.One), ev[k], Vector256<double>.Zero);
            var x2 = x * x;
            var m = Vector256.FusedMultiplyAdd(d11[k], perBar, -(mu[k] * mu[k]));
            diagonalV += x2 * sii[k];
            dSdV += x * sd[k];
            dSd2V += x2 * sii[k];
            eMuV += x * mu[k];
            aMuV += invSd[k] * mu[k];
            diagEV += x2 * m;
            diagAV += invSd[k] * invSd[k] * m;
            scaleV += Vector256.Abs(x) * (sd[k] + Vector256.Abs(mu[k]));
        }

        if (nan)
        {
            return (double.NaN, double.NaN);
        }

        double diagonal = Sum(diagonalV), dSd = Sum(dSdV), dSd2 = Sum(dSd2V), eMu = Sum(eMuV), aMu = Sum(aMuV), diagE = Sum(diagEV), diagA = Sum(diagAV), scale = Sum(scaleV);

        // Σᵢⱼ eᵢeⱼ·Σyᵢyⱼ and Σᵢⱼ aᵢaⱼ·Σyᵢyⱼ (a = 1/sd), one pass over the rows of either.
        ref var er = ref MemoryMarshal.GetArrayDataReference(e);
        ref var av = ref MemoryMarshal.GetArrayDataReference(_invSd);
        ref var rows = ref MemoryMarshal.GetArrayDataReference(_m11);
        var w = (nuint)_stride;
        const int Lanes = 4;
        Vector256<double> qeV = default, qaV = default;
        var two = Vector256.Create(2.0);
        var lanes = Vector256.Create(0.0, 1, 2, 3);
        for (var i = 0; i < _n; i++)
        {
            double ei = e[i], ai = _invSd[i];
            if (ei == 0 && ai == 0)
            {
                continue;
            }

            // Only row i's part from its diagonal's vector on is kept (Σyᵢyⱼ is symmetric): in that vector the columns
            // before i count 0 times, i once and those after it twice; every later column twice.
            var row = (nuint)i * w;
            var first = (nuint)(i / Lanes * Lanes);
            var position = Vector256.Create((double)(i % Lanes));
            var weight = Vector256.ConditionalSelect(Vector256.Equals(lanes, position), Vector256<double>.One, Vector256.ConditionalSelect(Vector256.GreaterThan(lanes, position), two, Vector256<double>.Zero));
            var m0 = Vector256.LoadUnsafe(ref rows, row + first) * weight;
            Vector256<double> se = m0 * Vector256.LoadUnsafe(ref er, first), sa = m0 * Vector256.LoadUnsafe(ref av, first);
            Vector256<double> se2 = Vector256<double>.Zero, sa2 = Vector256<double>.Zero;
            for (var k = first + Lanes; k < w; k += Lanes)
            {
                var m = Vector256.LoadUnsafe(ref rows, row + k);
                se2 = Vector256.FusedMultiplyAdd(m, Vector256.LoadUnsafe(ref er, k), se2);
                sa2 = Vector256.FusedMultiplyAdd(m, Vector256.LoadUnsafe(ref av, k), sa2);
            }

            // Each row's lanes stay apart until the end: one horizontal sum per total, not per row.
            qeV = Vector256.FusedMultiplyAdd(Vector256.Create(ei), Vector256.FusedMultiplyAdd(se2, two, se), qeV);
            qaV = Vector256.FusedMultiplyAdd(Vector256.Create(ai), Vector256.FusedMultiplyAdd(sa2, two, sa), qaV);
        }

        double qe = Sum(qeV), qa = Sum(qaV);

        // dᵀSd: the full form of Σyᵢyⱼ/T − μμᵀ with its diagonal replaced by sᵢᵢ (clamped at 0 as the estimate's is).
        var sample = (qe / _t) - (eMu * eMu) - diagE + diagonal;
        var pairs = _sdCount * (_sdCount - 1) / 2;
        var rBar = pairs > 0 ? ((qa / _t) - (aMu * aMu) - diagA) / 2 / pairs : 0;
        var target = diagonal + (rBar * ((dSd * dSd) - dSd2));
        var margin = 1e-7 * scale * scale;
        return (Math.Min(sample, target) - margin, Math.Max(sample, target) + margin);
    }

    /// <summary>Throws unless the estimator has a bar and <paramref name="d"/> holds one value per asset.</summary>
    private void CheckForm(ReadOnlySpan<double> d)
    {
        if (Bar < 0)
        {
            throw new InvalidOperationException("The rolling risk estimator has no bar yet; call MoveTo first.");
        }

        if (d.Length != _n)
        {
            throw new ArgumentException($"d must hold {_n} values; got {d.Length}.", nameof(d));
        }
    }
}
