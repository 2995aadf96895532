using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using static Predictive.Core.Features.Lanes;

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

        Inverses();
        if (!PerAssetSums(d, out var sums))
        {
            return (double.NaN, double.NaN);
        }

        // Σᵢⱼ eᵢeⱼ·Σyᵢyⱼ comes with the vector the carried bound starts from, Σᵢⱼ aᵢaⱼ·Σyᵢyⱼ (a = 1/sd) in the same pass.
        LowerMomentsCurrent();
        var rBar = CorrelationOf(StartCarrying(_row));
        var (sample, target) = Forms(sums, _carryQ, rBar, rBar);
        var margin = 1e-7 * sums.Scale * sums.Scale;
        return (Math.Min(sample, target) - margin, Math.Max(sample, target) + margin);
    }

    /// <summary>
    /// dᵀSd from the form eᵀ(Σyᵢyⱼ)e, and the largest dᵀFd for r̄ anywhere in [<paramref name="rLow"/>,
    /// <paramref name="rHigh"/>] (dᵀFd is linear in r̄, so one end gives it). dᵀSd is the full form of Σyᵢyⱼ/T − μμᵀ
    /// with its diagonal replaced by sᵢᵢ (clamped at 0 as the estimate's is).
    /// </summary>
    private (double Sample, double Target) Forms((double Diagonal, double DSd, double EMu, double DiagE, double Scale) sums, double eForm, double rLow, double rHigh)
    {
        // Multiplied by 1/T kept from the constructor: no division on a bar's critical path (the bounds' margin is far
        // above the difference in rounding).
        var sample = (eForm * _perWindow) - (sums.EMu * sums.EMu) - sums.DiagE + sums.Diagonal;
        var target = sums.Diagonal;
        if (_sdCount > 1)
        {
            var spread = (sums.DSd * sums.DSd) - sums.Diagonal;
            target += Math.Max(rLow * spread, rHigh * spread);
        }

        return (sample, target);
    }

    /// <summary>r̄ from aᵀ(Σyᵢyⱼ)a (a = 1/sd), as the estimate forms it, times 1/(2·pairs) kept from <see cref="Basics"/>.</summary>
    private double CorrelationOf(double aForm) => ((aForm * _perWindow) - (_aMu * _aMu) - _diagA) * _perPairHalf;

    /// <summary>
    /// The range of r̄ any correlation matrix allows, for <see cref="Forms"/> when r̄ is not at hand: the m assets with
    /// sd &gt; 0 have a positive semi-definite correlation matrix R, so 1ᵀR1 = m + Σᵢ≠ⱼ rᵢⱼ ≥ 0 and r̄ ≥ −1/(m − 1),
    /// and r̄ ≤ 1. (The estimate's r̄ comes from sums that agree with the two-pass estimate to about 10⁻⁹, far inside the
    /// bounds' margin.)
    /// </summary>
    private (double Low, double High) AnyCorrelation() => (_rLowest, 1);

    /// <summary>
    /// An upper bound on <see cref="Quadratic"/>(d) carried in O(n) from the last <see cref="QuadraticBounds"/> (through
    /// every bar since, while the assets in the estimate and the anchors stay the same) or, when none is carried, from
    /// this bar's d summed over the stored window in O(n·T) (<see cref="StartCarryingFromWindow"/>); NaN when any dᵢ is
    /// NaN or an anchor is too far, and then <see cref="QuadraticBounds"/> is the one to ask.
    /// </summary>
    /// <remarks>
    /// At the last bounds, or where the form was last started from the window, the drift on the assets in the estimate
    /// was e₀; since then each bar added uuᵀ − vvᵀ to
    /// M = Σyᵢyⱼ, and the form q = e₀ᵀMe₀ and the vector g = Me₀ follow that change exactly in O(n)
    /// (<see cref="CarryThroughStep"/>). For today's e = e₀ + Δ, eᵀMe = q + 2Δᵀg + ΔᵀMΔ with
    /// 0 ≤ ΔᵀMΔ ≤ (Σ|Δᵢ|·√Mᵢᵢ)² ≤ Σ|Δᵢ|·Σ|Δᵢ|Mᵢᵢ (M is positive semi-definite): only the second-order term is bounded, so the bound
    /// stays close while the drift moves a little from e₀. dᵀSd follows as in <see cref="QuadraticBounds"/>, and dᵀFd with r̄
    /// anywhere a correlation matrix allows (<see cref="AnyCorrelation"/>; on the 20 × 50,000 benchmark this settles
    /// every bar a carried bracket on r̄ did, without carrying a second form); the margin of <see cref="QuadraticBounds"/> is
    /// kept, plus 10⁻¹² of the magnitudes the carried sums were formed from (far above their rounding).
    /// </remarks>
    /// <param name="d">One value per asset.</param>
    /// <exception cref="InvalidOperationException">The estimator has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException"><paramref name="d"/> has the wrong length.</exception>
    public double QuadraticCarriedBound(ReadOnlySpan<double> d)
    {
        CheckForm(d);
        return CarriedBound(d, _zero.AsSpan(0, _n));
    }

    /// <summary><see cref="QuadraticCarriedBound(ReadOnlySpan{double})"/> of <paramref name="current"/> − <paramref name="target"/>, without writing the difference out.</summary>
    /// <param name="current">The weights now.</param>
    /// <param name="target">The target weights.</param>
    /// <exception cref="InvalidOperationException">The estimator has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public double QuadraticCarriedBound(ReadOnlySpan<double> current, ReadOnlySpan<double> target)
    {
        CheckForm(current);
        CheckForm(target);
        return CarriedBound(current, target);
    }

    /// <summary>The carried bound of d = <paramref name="current"/> − <paramref name="target"/>: the per-asset sums of the bounds and the carried ones in one pass.</summary>
    private double CarriedBound(ReadOnlySpan<double> current, ReadOnlySpan<double> target)
    {
        Basics();
        // With an anchor too far from some window mean (a price constant at a nonzero return, whose variance is then
        // rounding), that asset's correlations are noise and r̄ need not lie in the range AnyCorrelation assumes:
        // the pass, which forms r̄'s own bracket, answers instead.
        if (_anchorFar)
        {
            return double.NaN;
        }

        // Every row holds w values (w the padded width) and so do the weights when n = w: each load is in bounds, so the
        // loop reads through references without a bounds check per array (twelve of them, most spilled, cost more than its arithmetic).
        ref readonly double wr = ref MemoryMarshal.GetReference(current), gr = ref MemoryMarshal.GetReference(target);
        if (_n != _stride)
        {
            // Rows padded to whole vectors: the difference into the padded scratch row, against zeros.
            for (var i = 0; i < _n; i++)
            {
                _row[i] = current[i] - target[i];
            }

            _row.AsSpan(_n).Clear();
            wr = ref MemoryMarshal.GetArrayDataReference(_row);
            gr = ref MemoryMarshal.GetArrayDataReference(_zero);
        }

        // None carried (at the start, after a re-anchoring or a change in the assets in the estimate): one starts here
        // from the stored window, at today's drift.
        if (!_carrying && !StartCarryingFromWindow(in wr, in gr))
        {
            return double.NaN;
        }

        ref var one = ref MemoryMarshal.GetArrayDataReference(_one);
        ref var mu = ref MemoryMarshal.GetArrayDataReference(_mu);
        ref var d11 = ref MemoryMarshal.GetArrayDataReference(_d11);
        ref var sii = ref MemoryMarshal.GetArrayDataReference(_sii);
        ref var sd = ref MemoryMarshal.GetArrayDataReference(_sd);
        ref var e0 = ref MemoryMarshal.GetArrayDataReference(_carryE);
        ref var gE = ref MemoryMarshal.GetArrayDataReference(_carryGE);
        var perAsset = new PerAssetTotals(Vector256.Create(_perWindow));
        Vector256<double> crossE = default, l1E = default, moveE = default, nan = default;
        for (nuint k = 0, width = (nuint)_stride; k < width; k += (nuint)Vector256<double>.Count)
        {
            var raw = Vector256.LoadUnsafe(in wr, k) - Vector256.LoadUnsafe(in gr, k);
            nan |= ~Vector256.Equals(raw, raw);
            var e = Vector256.ConditionalSelect(Vector256.Equals(Vector256.LoadUnsafe(ref one, k), Vector256<double>.One), raw, Vector256<double>.Zero);
            var squares = Vector256.LoadUnsafe(ref d11, k);
            perAsset.Add(e, Vector256.LoadUnsafe(ref mu, k), squares, Vector256.LoadUnsafe(ref sii, k), Vector256.LoadUnsafe(ref sd, k));
            var de = e - Vector256.LoadUnsafe(ref e0, k);
            var absE = Vector256.Abs(de);
            crossE = Vector256.FusedMultiplyAdd(de, Vector256.LoadUnsafe(ref gE, k), crossE);
            l1E += absE;
            // No NaN reaches Σy² (missing returns are loaded as 0): the native max is Max's number.
            moveE = Vector256.FusedMultiplyAdd(absE, Vector256.MaxNative(squares, Vector256<double>.Zero), moveE);
        }

        if (nan != Vector256<double>.Zero)
        {
            return double.NaN;
        }

        // ΔᵀMΔ ≤ (Σ|Δᵢ|√Mᵢᵢ)² ≤ Σ|Δᵢ| · Σ|Δᵢ|Mᵢᵢ (Cauchy–Schwarz), without a square root per asset; the rounding of
        // Δᵀg at most Σ|Δᵢ| times the largest magnitude any gᵢ was formed from.
        var sums = perAsset.Totals;
        var distance = Sum(l1E);
        var formE = _carryQ + (2 * Sum(crossE)) + (distance * Sum(moveE)) + (1e-12 * (_carryMagnitude + (2 * distance * _carryGMaxE)));
        var (low, high) = AnyCorrelation();
        var (sample, shrunk) = Forms(sums, formE, low, high);
        return Math.Max(sample, shrunk) + (1e-7 * sums.Scale * sums.Scale);
    }

    /// <summary>
    /// Starts carrying the form of <paramref name="e"/> from now (see <see cref="QuadraticCarriedBound(ReadOnlySpan{double})"/>):
    /// g = Me from M's rows (mirrored whole first), its form, and the magnitudes its rounding is bounded by. Returns
    /// aᵀMa for a = 1/sd, from the same pass over the rows (the pass's own bracket on r̄ in <see cref="QuadraticBounds"/>).
    /// </summary>
    private double StartCarrying(double[] e)
    {
        MirrorLower();
        e.CopyTo(_carryE, 0);
        Span<Vector256<double>> gE = Vector(_carryGE), gA = Vector(_ma);
        gE.Clear();
        gA.Clear();
        for (var j = 0; j < _n; j++)
        {
            var row = Row(_m11, j * _stride);
            double ej = e[j], aj = _invSd[j];
            if (ej == 0 && aj == 0)
            {
                continue;
            }

            Vector256<double> ve = Vector256.Create(ej), va = Vector256.Create(aj);
            for (var k = 0; k < row.Length; k++)
            {
                gE[k] = Vector256.FusedMultiplyAdd(ve, row[k], gE[k]);
                gA[k] = Vector256.FusedMultiplyAdd(va, row[k], gA[k]);
            }
        }

        ReadOnlySpan<Vector256<double>> ev = Row(e, 0), av = Row(_invSd, 0);
        Vector256<double> qe = default, qa = default;
        for (var k = 0; k < gE.Length; k++)
        {
            qe = Vector256.FusedMultiplyAdd(ev[k], gE[k], qe);
            qa = Vector256.FusedMultiplyAdd(av[k], gA[k], qa);
        }

        (_carryQ, _carrying) = (Sum(qe), true);
        CarryMagnitudes(_n);
        return Sum(qa);
    }

    /// <summary>
    /// The magnitudes the rounding of a form just started from <see cref="_carryE"/> is bounded by, and Σ|e₀ᵢ|:
    /// |Mᵢⱼ| ≤ √(MᵢᵢMⱼⱼ), so each gᵢ is a sum of <paramref name="terms"/> terms of total magnitude at most
    /// √Mᵢᵢ·Σⱼ|e₀ⱼ|√Mⱼⱼ, and the form n times as many (n terms from M's rows; max(T, n) from the window's bars).
    /// </summary>
    private void CarryMagnitudes(double terms)
    {
        double se = 0, e1 = 0, rootMax = 0;
        for (var j = 0; j < _n; j++)
        {
            var (ej, root) = (Math.Abs(_carryE[j]), Math.Sqrt(Math.Max(0, _d11[j])));
            (se, e1, rootMax) = (se + (ej * root), e1 + ej, Math.Max(rootMax, root));
        }

        _carryMagnitude = terms * _n * se * se;
        (_carryGMaxE, _carryE1) = (terms * se * rootMax, e1);
    }

    /// <summary>
    /// Starts carrying the form of e = <paramref name="current"/> − <paramref name="target"/> on the assets in the
    /// estimate (0 elsewhere and in the padding; both read as w values) from the stored window, without Σyᵢyⱼ:
    /// M = Σ yyᵀ over the window's anchored returns, so g = Me = Σ y(yᵀe) and q = eᵀMe = Σ (yᵀe)², in O(n) per
    /// stored bar. The magnitudes their rounding is bounded by are <see cref="CarryMagnitudes"/>'s for sums of max(T, n)
    /// terms: each gᵢ sums terms of total magnitude at most √Mᵢᵢ·Σⱼ|eⱼ|√Mⱼⱼ, and q terms of total (Σⱼ|eⱼ|√Mⱼⱼ)²
    /// (Cauchy–Schwarz and Minkowski over the window).
    /// False, carrying nothing, when some eᵢ is NaN.
    /// </summary>
    private bool StartCarryingFromWindow(ref readonly double current, ref readonly double target)
    {
        ref var one = ref MemoryMarshal.GetArrayDataReference(_one);
        ref var e = ref MemoryMarshal.GetArrayDataReference(_carryE);
        ref var g = ref MemoryMarshal.GetArrayDataReference(_carryGE);
        ref var u = ref MemoryMarshal.GetArrayDataReference(_u);
        var (width, lanes) = ((nuint)_stride, (nuint)Vector256<double>.Count);
        var nan = Vector256<double>.Zero;
        for (nuint k = 0; k < width; k += lanes)
        {
            var raw = Vector256.LoadUnsafe(in current, k) - Vector256.LoadUnsafe(in target, k);
            nan |= ~Vector256.Equals(raw, raw);
            var ek = Vector256.ConditionalSelect(Vector256.Equals(Vector256.LoadUnsafe(ref one, k), Vector256<double>.One), raw, Vector256<double>.Zero);
            ek.StoreUnsafe(ref e, k);
            Vector256<double>.Zero.StoreUnsafe(ref g, k);
        }

        if (nan != Vector256<double>.Zero)
        {
            return false;
        }

        double q = 0;
        for (var slot = 0; slot < _t; slot++)
        {
            Load(slot, _u, _u2, _u3, powers: false);
            var dot = Vector256<double>.Zero;
            for (nuint k = 0; k < width; k += lanes)
            {
                dot = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref u, k), Vector256.LoadUnsafe(ref e, k), dot);
            }

            var p = Sum(dot);
            var each = Vector256.Create(p);
            for (nuint k = 0; k < width; k += lanes)
            {
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref u, k), each, Vector256.LoadUnsafe(ref g, k)).StoreUnsafe(ref g, k);
            }

            q += p * p;
        }

        (_carryQ, _carrying) = (q, true);
        CarryMagnitudes(Math.Max(_t, _n));
        return true;
    }

    /// <summary>
    /// The carried form and vector through one step: M gains uuᵀ − vvᵀ (the entering and leaving bars as loaded), so
    /// g = Me₀ gains u(uᵀe₀) − v(vᵀe₀) and q = e₀ᵀMe₀ gains (uᵀe₀)² − (vᵀe₀)². The magnitudes their rounding is bounded
    /// by grow by what each step adds (|uᵀe₀| at most max|uᵢ|·Σ|e₀ᵢ|). uᵀe₀, vᵀe₀ and the largest |uᵢ| and |vᵢ| come
    /// from the step's pass over the assets (<paramref name="step"/>).
    /// </summary>
    private void CarryThroughStep(in CarryProducts step)
    {
        // Every vector holds w values (w the padded width): read and written through references, without bounds checks.
        ref var u = ref MemoryMarshal.GetArrayDataReference(_u);
        ref var v = ref MemoryMarshal.GetArrayDataReference(_v);
        ref var gE = ref MemoryMarshal.GetArrayDataReference(_carryGE);
        var (width, lanes) = ((nuint)_stride, (nuint)Vector256<double>.Count);
        double pe = Sum(step.Ue), me = Sum(step.Ve), uTop = Top(step.UMax), vTop = Top(step.VMax);
        Vector256<double> vpe = Vector256.Create(pe), vme = Vector256.Create(-me);
        var gEMax = Vector256<double>.Zero;
        for (nuint k = 0; k < width; k += lanes)
        {
            var ge = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref u, k), vpe, Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref v, k), vme, Vector256.LoadUnsafe(ref gE, k)));
            ge.StoreUnsafe(ref gE, k);
            gEMax = Vector256.MaxNative(gEMax, Vector256.Abs(ge));
        }

        double peAbs = uTop * _carryE1, meAbs = vTop * _carryE1;
        _carryQ += (pe * pe) - (me * me);
        _carryMagnitude += (peAbs * peAbs) + (meAbs * meAbs) + Math.Abs(_carryQ);
        _carryGMaxE += (uTop * peAbs) + (vTop * meAbs) + Top(gEMax);
    }

    /// <summary>The largest lane of <paramref name="v"/> (lanes of absolute values: NaN-free by construction).</summary>
    private static double Top(Vector256<double> v) => Math.Max(Math.Max(v.GetElement(0), v.GetElement(1)), Math.Max(v.GetElement(2), v.GetElement(3)));

    /// <summary>
    /// d on the assets in the estimate (0 elsewhere and in the padding) into <see cref="_row"/>, and the per-asset sums
    /// of the bounds, 4 at a time; false when any dᵢ is NaN.
    /// </summary>
    private bool PerAssetSums(ReadOnlySpan<double> d, out (double Diagonal, double DSd, double EMu, double DiagE, double Scale) sums)
    {
        var e = _row;
        d.CopyTo(e);
        ReadOnlySpan<Vector256<double>> one = Row(_one, 0), mu = Row(_mu, 0), d11 = Row(_d11, 0), sii = Vector(_sii), sd = Vector(_sd);
        var ev = Vector(e);
        var perAsset = new PerAssetTotals(Vector256.Create(_perWindow));
        var nan = false;
        for (var k = 0; k < ev.Length; k++)
        {
            nan |= !Vector256.EqualsAll(ev[k], ev[k]);
            ev[k] = Vector256.ConditionalSelect(Vector256.Equals(one[k], Vector256<double>.One), ev[k], Vector256<double>.Zero);
            perAsset.Add(ev[k], mu[k], d11[k], sii[k], sd[k]);
        }

        sums = perAsset.Totals;
        return !nan;
    }

    /// <summary>The per-asset sums of the bounds, 4 assets at a time: Σeᵢ²sᵢᵢ, Σeᵢsdᵢ, Σeᵢμᵢ, Σeᵢ²(Σyᵢ²/T − μᵢ²) and Σ|eᵢ|(sdᵢ + |μᵢ|).</summary>
    private struct PerAssetTotals(Vector256<double> perBar)
    {
        private Vector256<double> _diagonal, _dSd, _eMu, _diagE, _scale;

        public readonly (double Diagonal, double DSd, double EMu, double DiagE, double Scale) Totals => (Sum(_diagonal), Sum(_dSd), Sum(_eMu), Sum(_diagE), Sum(_scale));

        public void Add(Vector256<double> x, Vector256<double> mu, Vector256<double> d11, Vector256<double> sii, Vector256<double> sd)
        {
            var x2 = x * x;
            var m = Vector256.FusedMultiplyAdd(d11, perBar, -(mu * mu));
            _diagonal += x2 * sii;
            _dSd += x * sd;
            _eMu += x * mu;
            _diagE += x2 * m;
            _scale += Vector256.Abs(x) * (sd + Vector256.Abs(mu));
        }
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
