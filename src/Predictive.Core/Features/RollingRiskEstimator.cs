using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Predictive.Core.Allocation;
using Predictive.Core.MarketData;
using static Predictive.Core.Features.Lanes;

namespace Predictive.Core.Features;

/// <summary>
/// <see cref="RiskEstimator"/>'s estimate (Ledoit-Wolf constant-correlation covariance, shrunk mean) bar after bar
/// over one panel, in O(n²) per bar instead of O(n²·T): the window's sums of cross-moments up to the fourth order are
/// updated as one bar of returns enters and one leaves, and the estimate is finished from them.
/// </summary>
/// <remarks>
/// <para>Ledoit-Wolf needs, besides the sample covariance, the fourth-moment sums π and ρ. With y = r − c (returns
/// minus a per-asset anchor c) the window keeps Σy per asset, the n × n matrices Σyᵢyⱼ, Σyᵢ²yⱼ and Σyᵢ³yⱼ, and of
/// Σyᵢ²yⱼ² only what π uses: the diagonal Σyᵢ⁴ and the row sums over the assets in the estimate, Σₜ yᵢ²·Σⱼ yⱼ²,
/// and likewise the column sums of Σyᵢ²yⱼ, Σₜ yⱼ·Σᵢ yᵢ² (O(n) per bar; recomputed from the stored window when the set
/// of assets in the estimate changes). The demeaned
/// moments Σxᵢxⱼ, Σxᵢ²xⱼ² and Σxᵢ³xⱼ (x = y − mean) follow by binomial expansion, and π and ρ only need their
/// weighted totals, so finishing is a few passes over the matrices. A policy that only needs quadratic forms of the
/// estimate (<see cref="Quadratic"/>, a tracking error) gets them without the n × n estimate being written out.</para>
/// <para>Numerical stability: the anchor is the window's mean when it is set, so the expansion's mean terms are small
/// and nothing cancels badly; every <c>reanchorEveryBars</c> bars (by default eight windows) the anchor is re-set and
/// every sum recomputed from the stored window, which bounds the rounding that adding and removing bars accumulates,
/// and so it is at once whenever an asset's window mean has moved far from its anchor relative to its spread
/// (Σy²/T above 64 times the variance, e.g. a quiet window after a volatile one), or its variance has fallen below
/// 2⁻¹⁰ of the largest Σy²/T since the sums were recomputed (their rounding, about ε of that per bar, would otherwise
/// reach a nearly constant asset's variance).
/// An asset whose returns over the whole window are exactly 0 (a constant price) gets exact zeros, as the two-pass
/// estimator gives it. Results agree with <see cref="RiskEstimator.Estimate(PricePanel, int)"/> to rounding
/// (a property test holds them to 1e-9 of each entry's scale).</para>
/// <para>Every pass over the matrices runs in 4-wide vectors (<see cref="Vector256{T}"/>, emulated where the CPU lacks
/// it) over rows padded to a multiple of 4 with zeros: element-wise operations and reductions of fixed width and order,
/// so the bits do not depend on the CPU.</para>
/// </remarks>
public sealed partial class RollingRiskEstimator
{
    private readonly PricePanel _panel;
    private readonly int _n;
    private readonly int _t;
    private readonly int _stride;
    private readonly double _lambda;

    /// <summary>1/T.</summary>
    private readonly double _perWindow;
    private readonly int _reanchorEvery;
    private readonly double[] _ring;
    private readonly double[] _realLanes;
    private readonly double[] _anchor;
    private readonly int[] _missing;
    private readonly int[] _zeros;
    private readonly double[] _returns;
    private readonly double[] _s1;
    private readonly double[] _m11;
    private readonly double[] _m21;
    private readonly double[] _m31;
    private readonly double[] _r22;
    private readonly double[] _r21;
    private readonly double[] _m22Diagonal;
    private readonly double[] _live22;
    private readonly double[] _u;
    private readonly double[] _u2;
    private readonly double[] _u3;
    private readonly double[] _v;
    private readonly double[] _v2;
    private readonly double[] _v3;
    private readonly double[] _invSd;
    private readonly double[] _one;
    private readonly double[] _mu;
    private readonly double[] _sd;

    /// <summary>The largest Σy² per asset since the sums were last recomputed (<see cref="QuietRatio"/>).</summary>
    private readonly double[] _d11Peak;
    private readonly double[] _s;
    private readonly double[] _fill;
    private readonly double[] _row;
    private readonly double[] _d11;
    private readonly double[] _d21;
    private readonly double[] _sii;
    private readonly double[] _carryE;
    private readonly double[] _carryGE;

    /// <summary>M·a (a = 1/sd) at a pass of <see cref="QuadraticBounds"/>, scratch.</summary>
    private readonly double[] _ma;
    private readonly double[] _zero;

    /// <summary>The largest Σy²/T over the variance kept before re-anchoring: the fourth moments then lose at most about (64²) · ε relative.</summary>
    private const double MaxAnchorRatio = 64;

    /// <summary>
    /// How far T²·variance may fall below T times the largest Σy² since the sums were recomputed before they are
    /// recomputed again (2¹⁰): the running sums carry rounding of about ε times that largest value per bar added and
    /// removed, so a variance kept above 2⁻¹⁰ of it keeps that rounding near 10⁻¹¹ of itself over eight windows.
    /// </summary>
    private const double QuietRatio = 1024;

    /// <summary>Windows between recomputations by default: each one costs about as much as a window of steps, and the rounding adding and removing bars accumulates over eight windows stays near ε.</summary>
    private const int DefaultReanchorWindows = 8;

    private int _sinceAnchor;

    /// <summary>The ring slot of <see cref="Bar"/>, <see cref="Slot"/>(Bar).</summary>
    private int _slot;
    private int _finishedAt = -1;
    private int _basicsAt = -1;
    private int _inversesAt = -1;
    private bool _countsChanged = true;
    private int _sdCount;

    /// <summary>1/(2·pairs) for the pairs of assets with sd &gt; 0 (0 with fewer than two).</summary>
    private double _perPairHalf;

    /// <summary>The lowest r̄ any correlation matrix of the assets with sd &gt; 0 allows, −1/(m − 1) (0 with fewer than two): <see cref="AnyCorrelation"/>.</summary>
    private double _rLowest;
    private bool _anchorFar;
    private bool _higherCurrent;
    private int _keepHigherUntil = -1;
    private bool _lowerCurrent;
    private int _keepLowerUntil = -1;
    private bool _carrying;
    private double _carryQ;
    private double _carryMagnitude;
    private double _carryGMaxE;
    private double _carryE1;
    private double _aMu;
    private double _diagA;
    private double _rBar;
    private double _delta;

    /// <summary>Creates a rolling estimator with <paramref name="estimator"/>'s window and mean shrinkage over <paramref name="panel"/>.</summary>
    /// <param name="estimator">The estimate to reproduce.</param>
    /// <param name="panel">The closes; the estimator reads bars up to the one it is moved to.</param>
    /// <param name="reanchorEveryBars">Bars between recomputations from the stored window; 0 means <see cref="DefaultReanchorWindows"/> window lengths.</param>
    public RollingRiskEstimator(RiskEstimator estimator, PricePanel panel, int reanchorEveryBars = 0)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(panel);
        ArgumentOutOfRangeException.ThrowIfNegative(reanchorEveryBars);
        _panel = panel;
        _n = panel.AssetCount;
        _t = estimator.Window;
        _lambda = estimator.MeanShrinkage;
        _perWindow = 1.0 / _t;
        _reanchorEvery = reanchorEveryBars == 0 ? DefaultReanchorWindows * _t : reanchorEveryBars;
        // Rows of the matrices and the per-asset vectors are padded to whole vectors; the padding stays 0.
        var w = _stride = (_n + Vector256<double>.Count - 1) / Vector256<double>.Count * Vector256<double>.Count;
        var nw = _n * w;
        _ring = new double[_t * w];
        (_anchor, _s1, _realLanes) = (new double[w], new double[w], new double[w]);
        _realLanes.AsSpan(0, _n).Fill(1);
        _returns = LogReturnTable.Of(panel);
        (_u, _u2, _u3, _v, _v2, _v3) = (new double[w], new double[w], new double[w], new double[w], new double[w], new double[w]);
        (_mu, _sd, _invSd, _one, _fill, _row) = (new double[w], new double[w], new double[w], new double[w], new double[w], new double[w]);
        (_missing, _zeros) = (new int[_n], new int[_n]);
        (_r22, _r21, _m22Diagonal, _live22) = (new double[w], new double[w], new double[w], new double[w]);
        (_d11, _d21, _sii) = (new double[w], new double[w], new double[w]);
        (_carryE, _carryGE, _ma, _zero, _d11Peak) = (new double[w], new double[w], new double[w], new double[w], new double[w]);
        (_m11, _m21, _m31, _s) = (new double[nw], new double[nw], new double[nw], new double[nw]);
        Bar = -1;
    }

    /// <summary>The bar the current estimate ends at; −1 before the first <see cref="MoveTo"/>.</summary>
    public int Bar { get; private set; }

    /// <summary>Moves the window to end at <paramref name="bar"/>: bar by bar when it is at most a window ahead, otherwise rebuilt.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bar is outside the panel.</exception>
    public void MoveTo(int bar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bar);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(bar, _panel.BarCount);
        if (Bar < 0 || bar < Bar || bar - Bar >= _t)
        {
            // The sums a finish or a pass kept following for a while are recomputed only if that while reaches the bar.
            _higherCurrent &= bar <= _keepHigherUntil;
            _lowerCurrent &= bar <= _keepLowerUntil;
            Rebuild(bar);
            return;
        }

        while (Bar < bar)
        {
            Step();
        }

        if (_sinceAnchor > 0 && AnchorTooFar())
        {
            Reanchor();
        }
    }

    /// <summary>The estimate at <paramref name="bar"/>, as <see cref="RiskEstimator.Estimate(PricePanel, int)"/> gives it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The bar is outside the panel.</exception>
    public RiskEstimate Estimate(int bar)
    {
        MoveTo(bar);
        var covariance = new double[_n * _n];
        var expected = new double[_n];
        CopyTo(covariance, expected);
        return new RiskEstimate(covariance, expected);
    }

    /// <summary>Writes the estimate at <see cref="Bar"/>: the covariance (row-major n × n) and expected returns; NaN for assets left out.</summary>
    /// <exception cref="InvalidOperationException">The estimator has not been moved to a bar yet.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void CopyTo(Span<double> covariance, Span<double> expectedReturns)
    {
        if (Bar < 0)
        {
            throw new InvalidOperationException("The rolling risk estimator has no bar yet; call MoveTo first.");
        }

        if (covariance.Length != _n * _n || expectedReturns.Length != _n)
        {
            throw new ArgumentException($"covariance must hold {_n}×{_n} values and expectedReturns {_n}; got {covariance.Length} and {expectedReturns.Length}.", nameof(covariance));
        }

        Finished();
        expectedReturns.Fill(double.NaN);
        var m = 0;
        var grand = 0.0;
        for (var i = 0; i < _n; i++)
        {
            if (_missing[i] == 0)
            {
                m++;
                var mean = _one[i] == 0 ? 0 : _anchor[i] + _mu[i];
                expectedReturns[i] = mean;
                grand += mean;
            }
        }

        if (m == 0)
        {
            covariance.Fill(double.NaN);
            return;
        }

        grand /= m;
        for (var i = 0; i < _n; i++)
        {
            if (_missing[i] == 0)
            {
                expectedReturns[i] = ((1 - _lambda) * expectedReturns[i]) + (_lambda * grand);
            }
        }

        Finish(_rBar, _delta, covariance);
    }

    /// <summary>
    /// Finishes the estimate at <see cref="Bar"/> once: which assets are in it, their means, S, r̄ and the shrinkage
    /// intensity δ. An asset is in it when it has every return of the window and they are not all 0: a constant price
    /// has every return 0, so the two-pass estimator's mean and moments are exactly 0; a missing asset's entries are
    /// NaN, a constant one's 0.
    /// </summary>
    private void Finished()
    {
        if (_finishedAt == Bar)
        {
            return;
        }

        Inverses();
        var liveChanged = false;
        for (var i = 0; i < _n; i++)
        {
            liveChanged |= (Live(i) ? 1 : 0) != _live22[i];
        }

        if (liveChanged)
        {
            SumSquaresOverLive();
        }

        if (!_higherCurrent)
        {
            HigherMomentsFromWindow();
        }

        LowerMomentsCurrent();

        // Finishing again soon is likely (a policy near a trade): the sums Σyᵢ²yⱼ and Σyᵢ³yⱼ follow the window for a while.
        _keepHigherUntil = Bar + _t;
        MirrorLower();
        (_rBar, _delta) = Shrinkage();
        _finishedAt = Bar;
    }

    /// <summary>
    /// The per-asset part of the estimate at <see cref="Bar"/>, once: which assets are in it, their means, variances
    /// sᵢᵢ and sdᵢ (0 outside the estimate), how many have sd &gt; 0, and whether the anchor is too far (1/sd waits for
    /// <see cref="Inverses"/>). It needs only Σy and the diagonal of Σyᵢyⱼ.
    /// </summary>
    private void Basics()
    {
        if (_basicsAt == Bar)
        {
            return;
        }

        if (_countsChanged)
        {
            var liveChanged = false;
            for (var i = 0; i < _n; i++)
            {
                double live = Live(i) ? 1 : 0;
                liveChanged |= live != _one[i];
                _one[i] = live;
                _fill[i] = _missing[i] > 0 ? double.NaN : 0;
            }

            _countsChanged = false;
            // A carried bound is of the drift on the assets in the estimate: it no longer applies when they change.
            _carrying &= !liveChanged;
        }

        // Every per-asset array holds w values (w the padded width): the loop reads and writes through references,
        // without a bounds check per array.
        ref var one = ref MemoryMarshal.GetArrayDataReference(_one);
        ref var d11 = ref MemoryMarshal.GetArrayDataReference(_d11);
        ref var s1 = ref MemoryMarshal.GetArrayDataReference(_s1);
        ref var peak = ref MemoryMarshal.GetArrayDataReference(_d11Peak);
        var lanes = new BasicsLanes(this);
        var (far, positive) = (Vector256<double>.Zero, 0);
        for (nuint k = 0, width = (nuint)_stride; k < width; k += (nuint)Vector256<double>.Count)
        {
            var (tooFar, count) = lanes.Add(Vector256.LoadUnsafe(ref one, k), Vector256.LoadUnsafe(ref d11, k), Vector256.LoadUnsafe(ref s1, k), Vector256.LoadUnsafe(ref peak, k), k);
            (far, positive) = (far | tooFar, positive + count);
        }

        BasicsDone(far, positive);
    }

    /// <summary>Keeps what <see cref="BasicsLanes"/> found at <see cref="Bar"/>: the count of assets with sd &gt; 0 (and 1/(2·pairs) when it changed) and whether the anchor is too far.</summary>
    private void BasicsDone(Vector256<double> far, int sdCount)
    {
        // Both are 0 for fewer than two, as they start.
        if (sdCount != _sdCount)
        {
            _sdCount = sdCount;
            _perPairHalf = _sdCount > 1 ? 1.0 / (_sdCount * (_sdCount - 1)) : 0;
            _rLowest = _sdCount > 1 ? -1.0 / (_sdCount - 1) : 0;
        }

        _anchorFar = far != Vector256<double>.Zero;
        (_basicsAt, _inversesAt) = (Bar, -1);
    }

    /// <summary>
    /// <see cref="Basics"/> 4 assets at a time, from the assets in the estimate (1 or 0 each), Σy² and Σy: the means,
    /// variances and sds stored, and the lanes whose anchor is too far and the count with sd &gt; 0 returned. Each value is kept in a register as
    /// it is stored, so no step of this chain waits on reading back a store.
    /// </summary>
    private readonly struct BasicsLanes(RollingRiskEstimator owner)
    {
        private readonly double[] _mu = owner._mu;
        private readonly double[] _sii = owner._sii;
        private readonly double[] _sd = owner._sd;
        private readonly Vector256<double> _window = Vector256.Create((double)owner._t);
        private readonly Vector256<double> _perBar = Vector256.Create(owner._perWindow);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public (Vector256<double> Far, int Positive) Add(Vector256<double> ones, Vector256<double> squares, Vector256<double> sums, Vector256<double> peak, nuint k)
        {
            var live = Vector256.Equals(ones, Vector256<double>.One);
            // AnchorTooFar's test in the same pass, without dividing: T²·variance against T²·(Σy²/T) / 64 (the anchor far
            // from the window mean), and against T times the largest Σy² since the sums were last recomputed / 2¹⁰ (a quiet
            // window after a volatile one, whose rounding the running sums still carry: about ε of it per bar added and
            // removed). One comparison with the larger of the two, both scaled by 2¹⁰ (exactly: powers of two); Σy² and
            // its peak are never NaN (missing returns are loaded as 0), so the native max is Max's number.
            var second = squares * _window;
            var spread = second - (sums * sums);
            var level = Vector256.MaxNative(second * Vector256.Create(QuietRatio / MaxAnchorRatio), peak * _window);
            var far = live & ~Vector256.GreaterThanOrEqual(spread * Vector256.Create(QuietRatio), level);
            var m = Vector256.ConditionalSelect(live, sums * _perBar, Vector256<double>.Zero);
            // No NaN reaches here (missing returns are loaded as 0), so the native max is Max's number.
            var v = Vector256.ConditionalSelect(live, Vector256.MaxNative((squares * _perBar) - (m * m), Vector256<double>.Zero), Vector256<double>.Zero);
            m.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_mu), k);
            v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_sii), k);
            Vector256.Sqrt(v).StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(_sd), k);
            // sd > 0 exactly when the variance is.
            return (far, BitOperations.PopCount(Vector256.GreaterThan(v, Vector256<double>.Zero).ExtractMostSignificantBits()));
        }
    }

    /// <summary>
    /// 1/sdᵢ (0 where sd is 0) at <see cref="Bar"/>, once, and the pass bounds' sums over it, Σ aᵢμᵢ and
    /// Σ aᵢ²(Σyᵢ²/T − μᵢ²): only a finish and a pass over Σyᵢyⱼ need them, so a bar settled on the carried bound pays no
    /// division per asset.
    /// </summary>
    private void Inverses()
    {
        Basics();
        if (_inversesAt == Bar)
        {
            return;
        }

        ref var mu = ref MemoryMarshal.GetArrayDataReference(_mu);
        ref var d11 = ref MemoryMarshal.GetArrayDataReference(_d11);
        ref var sd = ref MemoryMarshal.GetArrayDataReference(_sd);
        ref var invSd = ref MemoryMarshal.GetArrayDataReference(_invSd);
        var perBar = Vector256.Create(_perWindow);
        Vector256<double> aMu = default, diagA = default;
        for (nuint k = 0, width = (nuint)_stride; k < width; k += (nuint)Vector256<double>.Count)
        {
            Vector256<double> root = Vector256.LoadUnsafe(ref sd, k), m = Vector256.LoadUnsafe(ref mu, k);
            var inverse = Vector256.ConditionalSelect(Vector256.GreaterThan(root, Vector256<double>.Zero), Vector256<double>.One / root, Vector256<double>.Zero);
            inverse.StoreUnsafe(ref invSd, k);
            aMu += inverse * m;
            diagA += inverse * inverse * Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref d11, k), perBar, -(m * m));
        }

        (_aMu, _diagA) = (Sum(aMu), Sum(diagA));
        _inversesAt = Bar;
    }

    /// <summary>
    /// Fills the part of Σyᵢyⱼ below each row's diagonal vector from the rows above (the updates keep only the rest):
    /// the fused products uᵢuⱼ and uⱼuᵢ are the same number, so the mirrored entries are the ones a full update would hold.
    /// </summary>
    private void MirrorLower()
    {
        const int Lanes = 4;
        var w = _stride;
        for (var i = Lanes; i < _n; i++)
        {
            var row = i * w;
            for (int j = 0, end = i / Lanes * Lanes; j < end; j++)
            {
                _m11[row + j] = _m11[(j * w) + i];
            }
        }
    }

    /// <summary>
    /// Recomputes from the stored window what only the shrinkage intensity reads and had stopped following it: Σyᵢ²yⱼ,
    /// Σyᵢ³yⱼ, and the fourth-moment sums of π (Σyᵢ⁴, and Σₜ yᵢ²·Σⱼ yⱼ² and Σₜ yᵢ·Σⱼ yⱼ² over the assets now in the estimate).
    /// </summary>
    private void HigherMomentsFromWindow()
    {
        Array.Clear(_m21);
        Array.Clear(_m31);
        Array.Clear(_r22);
        Array.Clear(_r21);
        Array.Clear(_m22Diagonal);
        MarkLiveForRowSums();
        MomentsFromWindow(higher: true, lower: false);
        _higherCurrent = true;
    }

    /// <summary>
    /// Makes Σyᵢyⱼ follow the window again (recomputed from the stored window when it had stopped) and keeps it
    /// following for a window length: bounds and finishes read it.
    /// </summary>
    private void LowerMomentsCurrent()
    {
        if (!_lowerCurrent)
        {
            Array.Clear(_m11);
            MomentsFromWindow(higher: false, lower: true);
            _lowerCurrent = true;
        }

        _keepLowerUntil = Bar + (_t / 4);
    }

    /// <summary>
    /// Adds every stored bar of the window to the chosen sums, the others untouched: Σyᵢyⱼ when <paramref name="lower"/>;
    /// π's fourth-moment sums, Σyᵢ²yⱼ and Σyᵢ³yⱼ when <paramref name="higher"/>.
    /// </summary>
    private void MomentsFromWindow(bool higher, bool lower)
    {
        Array.Clear(_v);
        Array.Clear(_v2);
        for (var k = 0; k < _t; k++)
        {
            Load(k, _u, _u2, _u3, powers: higher);
            if (higher)
            {
                AccumulateFourth();
            }

            AccumulateMatrices(higher, lower);
        }
    }

    /// <summary>Marks the assets now in the estimate as the ones π's row sums are kept over.</summary>
    private void MarkLiveForRowSums()
    {
        for (var i = 0; i < _n; i++)
        {
            _live22[i] = Live(i) ? 1 : 0;
        }
    }

    /// <summary>Whether asset <paramref name="i"/> is in the estimate: every return of the window present, not all 0.</summary>
    private bool Live(int i) => _missing[i] == 0 && _zeros[i] != _t;

    /// <summary>Recomputes the sums Σₜ yᵢ²·Σⱼ yⱼ² and Σₜ yᵢ·Σⱼ yⱼ² over the assets now in the estimate from the stored window.</summary>
    private void SumSquaresOverLive()
    {
        MarkLiveForRowSums();
        Array.Clear(_r22);
        Array.Clear(_r21);
        for (var k = 0; k < _t; k++)
        {
            Load(k, _u, _u2, _u3, powers: true);
            var q = SquaresOverLive(_u2);
            for (var i = 0; i < _n; i++)
            {
                _r22[i] += _u2[i] * q;
                _r21[i] += _u[i] * q;
            }
        }
    }

    /// <summary>Σⱼ yⱼ² of one bar over the assets the row sums are kept for (4 lanes, added at the end).</summary>
    private double SquaresOverLive(double[] y2)
    {
        ReadOnlySpan<Vector256<double>> y = Row(y2, 0), live = Row(_live22, 0);
        var sum = Vector256<double>.Zero;
        for (var k = 0; k < y.Length; k++)
        {
            sum += y[k] * live[k];
        }

        return Sum(sum);
    }

    /// <summary>Reads the window ending at <paramref name="bar"/> from the panel and recomputes every sum.</summary>
    private void Rebuild(int bar)
    {
        Array.Clear(_missing);
        Array.Clear(_zeros);
        _countsChanged = true;
        for (var k = bar - _t + 1; k <= bar; k++)
        {
            var slot = Slot(k) * _stride;
            for (var a = 0; a < _n; a++)
            {
                var r = k >= 1 ? _returns[(k * _n) + a] : double.NaN;
                Count(a, r, 1);
                _ring[slot + a] = r;
            }
        }

        Bar = bar;
        _slot = Slot(bar);
        Reanchor();
    }

    /// <summary>Sets each anchor to its window mean (0 without any return) and recomputes the sums from the stored window.</summary>
    private void Reanchor()
    {
        for (var a = 0; a < _n; a++)
        {
            double sum = 0;
            var count = 0;
            for (var k = 0; k < _t; k++)
            {
                var r = _ring[(k * _stride) + a];
                if (double.IsFinite(r))
                {
                    sum += r;
                    count++;
                }
            }

            _anchor[a] = count > 0 ? sum / count : 0;
        }

        Array.Clear(_s1);
        Array.Clear(_d11);
        Array.Clear(_m11);
        Array.Clear(_m21);
        Array.Clear(_m31);
        var higher = _higherCurrent;
        var lower = _lowerCurrent;
        _carrying = false;
        Array.Clear(_r22);
        Array.Clear(_r21);
        Array.Clear(_m22Diagonal);
        MarkLiveForRowSums();
        Array.Clear(_v);
        Array.Clear(_v2);
        Array.Clear(_v3);
        for (var k = 0; k < _t; k++)
        {
            Load(k, _u, _u2, _u3, powers: higher);
            Accumulate(higher, lower);
        }

        _d11.CopyTo(_d11Peak, 0);
        _sinceAnchor = 0;
        _finishedAt = -1;
        _basicsAt = -1;
    }

    /// <summary>Adds bar <see cref="Bar"/> + 1 to the window and removes the oldest.</summary>
    private void Step()
    {
        var bar = Bar + 1;
        // The ring's next slot, Slot(bar), without dividing.
        var slot = _slot + 1 == _t ? 0 : _slot + 1;
        // Σyᵢ²yⱼ, Σyᵢ³yⱼ and π's fourth-moment sums only serve the shrinkage intensity; without a finish for a window they stop following it.
        _higherCurrent &= bar <= _keepHigherUntil;
        _lowerCurrent &= bar <= _keepLowerUntil;
        // Basics are finished in the same pass when the assets in the estimate are the ones last formed and stay so.
        var basics = !_countsChanged;
        var changed = Exchange(slot, bar, basics, out var carried, out var far, out var sdCount);
        if (changed)
        {
            // A missing or zero return left or entered (the usual bar has neither): the counts change. The leaving bar's
            // returns are the table's, as they were stored (NaN before the first return).
            var leaving = bar - _t;
            for (var a = 0; a < _n; a++)
            {
                Count(a, leaving >= 1 ? _returns[(leaving * _n) + a] : double.NaN, -1);
                Count(a, _returns[(bar * _n) + a], 1);
            }
        }

        if (_carrying)
        {
            CarryThroughStep(carried);
        }

        // Accumulate's work less Σy and Σy², which the exchange added.
        if (_higherCurrent)
        {
            Powers(_v, _v2, _v3);
            Powers(_u, _u2, _u3);
            AccumulateFourth();
        }

        AccumulateMatrices(_higherCurrent, _lowerCurrent);
        (Bar, _slot) = (bar, slot);
        _finishedAt = -1;
        _basicsAt = -1;
        if (basics && !changed)
        {
            BasicsDone(far, sdCount);
        }

        if (++_sinceAnchor >= _reanchorEvery)
        {
            Reanchor();
        }
    }

    /// <summary>
    /// Whether some asset's anchored second moment Σy²/T exceeds its variance by more than <see cref="MaxAnchorRatio"/>:
    /// its window mean has moved far from the anchor relative to its spread (a quiet window after a volatile one), so
    /// the expansion would cancel away digits. Re-anchoring at the current mean makes the ratio ≈ 1 again.
    /// </summary>
    private bool AnchorTooFar()
    {
        Basics();
        return _anchorFar;
    }

    private int Slot(int bar) => ((bar % _t) + _t) % _t;

    private void Count(int asset, double r, int sign)
    {
        if (!double.IsFinite(r))
        {
            _missing[asset] += sign;
            _countsChanged = true;
        }
        else if (r == 0)
        {
            _zeros[asset] += sign;
            _countsChanged = true;
        }
    }

    /// <summary>The anchored returns y = r − c of one stored bar (0 for a missing return), and with <paramref name="powers"/> their squares and cubes.</summary>
    private void Load(int slot, double[] y, double[] y2, double[] y3, bool powers)
    {
        // Every row holds w values (w the padded width): read and written through references, without bounds checks.
        ref var r = ref MemoryMarshal.GetArrayDataReference(_ring);
        ref var anchor = ref MemoryMarshal.GetArrayDataReference(_anchor);
        ref var real = ref MemoryMarshal.GetArrayDataReference(_realLanes);
        ref var output = ref MemoryMarshal.GetArrayDataReference(y);
        var (at, width) = ((nuint)(slot * _stride), (nuint)_stride);
        var bad = Vector256<double>.Zero;
        for (nuint k = 0; k < width; k += (nuint)Vector256<double>.Count)
        {
            Anchored(Vector256.LoadUnsafe(ref r, at + k), Vector256.LoadUnsafe(ref anchor, k), Vector256.LoadUnsafe(ref real, k), ref bad).StoreUnsafe(ref output, k);
        }

        if (powers)
        {
            Powers(y, y2, y3);
        }
    }

    /// <summary>The squares and cubes of loaded returns.</summary>
    private static void Powers(double[] y, double[] y2, double[] y3)
    {
        ReadOnlySpan<Vector256<double>> v1 = MemoryMarshal.Cast<double, Vector256<double>>(y.AsSpan());
        Span<Vector256<double>> v2 = Vector(y2), v3 = Vector(y3);
        for (var k = 0; k < v1.Length; k++)
        {
            v2[k] = v1[k] * v1[k];
            v3[k] = v1[k] * v1[k] * v1[k];
        }
    }

    /// <summary>
    /// One step's pass over the assets, 4 at a time: bar <paramref name="bar"/>'s returns replace the leaving bar's in
    /// ring slot <paramref name="slot"/>; both are anchored, the leaving bar's into <see cref="_v"/> and the entering
    /// bar's into <see cref="_u"/>, and Σy and Σy² gain the one and lose the other, as <see cref="Accumulate"/> does.
    /// In the same pass: the carried form's products with both bars (<paramref name="carried"/>, used only while one is
    /// carried) and, with <paramref name="basics"/>, <see cref="Basics"/> from the new sums (<paramref name="far"/> and
    /// <paramref name="sdCount"/> as <see cref="BasicsDone"/> takes them). Returns whether either bar has a missing or zero
    /// return in some asset (the counts then change; the usual bar has neither, and the basics are then not to be kept).
    /// </summary>
    private bool Exchange(int slot, int bar, bool basics, out CarryProducts carried, out Vector256<double> far, out int sdCount)
    {
        // Every row and vector holds w values (w the padded width): read and written through references, without
        // bounds checks. A bar of the returns table holds n values: read in place when n = w, through the padded
        // scratch row otherwise.
        ref var enterRow = ref LogReturnTable.PaddedRow(_returns, _n, bar, _row);

        ref var r = ref MemoryMarshal.GetArrayDataReference(_ring);
        ref var anchor = ref MemoryMarshal.GetArrayDataReference(_anchor);
        ref var real = ref MemoryMarshal.GetArrayDataReference(_realLanes);
        ref var u = ref MemoryMarshal.GetArrayDataReference(_u);
        ref var v = ref MemoryMarshal.GetArrayDataReference(_v);
        ref var s1 = ref MemoryMarshal.GetArrayDataReference(_s1);
        ref var d11 = ref MemoryMarshal.GetArrayDataReference(_d11);
        ref var one = ref MemoryMarshal.GetArrayDataReference(_one);
        ref var e = ref MemoryMarshal.GetArrayDataReference(_carryE);
        ref var peak = ref MemoryMarshal.GetArrayDataReference(_d11Peak);
        var (at, width) = ((nuint)(slot * _stride), (nuint)_stride);
        var lanes = new BasicsLanes(this);
        // Accumulated in locals (the out parameters are written once at the end, so none of these lives in memory).
        var (tooFarLanes, positives) = (Vector256<double>.Zero, 0);
        Vector256<double> bad = default, ue = default, ve = default, uMax = default, vMax = default;
        for (nuint k = 0; k < width; k += (nuint)Vector256<double>.Count)
        {
            var (a, lane) = (Vector256.LoadUnsafe(ref anchor, k), Vector256.LoadUnsafe(ref real, k));
            var gone = Anchored(Vector256.LoadUnsafe(ref r, at + k), a, lane, ref bad);
            var entering = Vector256.LoadUnsafe(ref enterRow, k);
            entering.StoreUnsafe(ref r, at + k);
            var x = Anchored(entering, a, lane, ref bad);
            gone.StoreUnsafe(ref v, k);
            x.StoreUnsafe(ref u, k);
            var sums = Vector256.LoadUnsafe(ref s1, k) + (x - gone);
            var squares = Vector256.FusedMultiplyAdd(x, x, Vector256.FusedMultiplyAdd(-gone, gone, Vector256.LoadUnsafe(ref d11, k)));
            sums.StoreUnsafe(ref s1, k);
            squares.StoreUnsafe(ref d11, k);
            var highest = Vector256.MaxNative(Vector256.LoadUnsafe(ref peak, k), squares);
            highest.StoreUnsafe(ref peak, k);
            var ek = Vector256.LoadUnsafe(ref e, k);
            ue = Vector256.FusedMultiplyAdd(x, ek, ue);
            ve = Vector256.FusedMultiplyAdd(gone, ek, ve);
            // Absolute values, never NaN: the native max is Max's number.
            uMax = Vector256.MaxNative(uMax, Vector256.Abs(x));
            vMax = Vector256.MaxNative(vMax, Vector256.Abs(gone));
            if (basics)
            {
                var (tooFar, positive) = lanes.Add(Vector256.LoadUnsafe(ref one, k), squares, sums, highest, k);
                (tooFarLanes, positives) = (tooFarLanes | tooFar, positives + positive);
            }
        }

        (far, sdCount) = (tooFarLanes, positives);
        carried = new CarryProducts(ue, ve, uMax, vMax);
        return bad != Vector256<double>.Zero;
    }

    /// <summary>The entering and leaving bars' products with the carried drift, 4 lanes each, and their largest magnitudes (<see cref="CarryThroughStep"/>).</summary>
    private readonly record struct CarryProducts(Vector256<double> Ue, Vector256<double> Ve, Vector256<double> UMax, Vector256<double> VMax);

    /// <summary>
    /// A stored return r anchored, r − c (0 when r is missing), marking in <paramref name="bad"/> the real lanes whose
    /// return is missing or zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Anchored(Vector256<double> r, Vector256<double> anchor, Vector256<double> real, ref Vector256<double> bad)
    {
        // r − r is 0 exactly when r is finite.
        var finite = Vector256.Equals(r - r, Vector256<double>.Zero);
        bad |= (~finite | Vector256.Equals(r, Vector256<double>.Zero)) & Vector256.Equals(real, Vector256<double>.One);
        return Vector256.ConditionalSelect(finite, r - anchor, Vector256<double>.Zero);
    }

    /// <summary>
    /// Adds the bar in <see cref="_u"/> and removes the one in <see cref="_v"/> from every sum, element-wise; Σyᵢ²yⱼ and
    /// Σyᵢ³yⱼ only when <paramref name="higher"/>, Σyᵢyⱼ only when <paramref name="lower"/>.
    /// </summary>
    private void Accumulate(bool higher, bool lower)
    {
        ReadOnlySpan<Vector256<double>> u = Row(_u, 0), v = Row(_v, 0);
        Span<Vector256<double>> s1 = Vector(_s1), d11 = Vector(_d11);
        for (var k = 0; k < u.Length; k++)
        {
            s1[k] += u[k] - v[k];
            // Σyᵢ², fused as the diagonal of Σyᵢyⱼ is (uᵢ·uᵢ − vᵢ·vᵢ each rounded once), so the two are the same numbers.
            d11[k] = Vector256.FusedMultiplyAdd(u[k], u[k], Vector256.FusedMultiplyAdd(-v[k], v[k], d11[k]));
        }

        if (higher)
        {
            AccumulateFourth();
        }

        AccumulateMatrices(higher, lower);
    }

    /// <summary>π's fourth-moment sums (Σyᵢ⁴ and the row sums over the assets in the estimate) gain the bar in <see cref="_u"/> and lose the one in <see cref="_v"/>.</summary>
    private void AccumulateFourth()
    {
        var (qu, qv) = (Vector256.Create(SquaresOverLive(_u2)), Vector256.Create(SquaresOverLive(_v2)));
        ReadOnlySpan<Vector256<double>> u = Row(_u, 0), u2 = Row(_u2, 0), v = Row(_v, 0), v2 = Row(_v2, 0);
        Span<Vector256<double>> r22 = Vector(_r22), r21 = Vector(_r21), m22 = Vector(_m22Diagonal);
        for (var k = 0; k < u.Length; k++)
        {
            r22[k] += (u2[k] * qu) - (v2[k] * qv);
            r21[k] += (u[k] * qu) - (v[k] * qv);
            m22[k] += (u2[k] * u2[k]) - (v2[k] * v2[k]);
        }
    }

    /// <summary>The n × n part of <see cref="Accumulate"/>: Σyᵢyⱼ when <paramref name="lower"/>, Σyᵢ²yⱼ and Σyᵢ³yⱼ when <paramref name="higher"/>.</summary>
    private void AccumulateMatrices(bool higher, bool lower)
    {
        if (lower)
        {
            // Σyᵢyⱼ is symmetric: only each row's part from its diagonal's vector on is kept (MirrorLower fills the rest).
            AddOuter(_m11, _u, _v, _u, _v, upper: true);
        }

        if (higher)
        {
            AddOuter(_m21, _u2, _v2, _u, _v, upper: false);
            AddOuter(_m31, _u3, _v3, _u, _v, upper: false);
        }
    }

    /// <summary>
    /// m[i, k] += a[i]·u[k] − b[i]·v[k] over every row i and padded column k (with <paramref name="upper"/>, from the
    /// vector that holds column i on): the leaving bar's product subtracted
    /// first, then the entering bar's added, each rounded once (fused); a row with nothing leaving (a bar without asset
    /// i's return, or every bar of a recomputation) only added, and a row with neither skipped.
    /// </summary>
    private void AddOuter(double[] m, double[] a, double[] b, double[] u, double[] v, bool upper)
    {
        var w = (nuint)_stride;
        const int Lanes = 4;
        // Every matrix holds n rows of w and every vector w values, w a multiple of the vector width: each access is in bounds.
        ref var mr = ref MemoryMarshal.GetArrayDataReference(m);
        ref var ur = ref MemoryMarshal.GetArrayDataReference(u);
        ref var vr = ref MemoryMarshal.GetArrayDataReference(v);
        var ai = a.AsSpan(0, _n);
        var bi = b.AsSpan(0, _n);
        var gate = u.AsSpan(0, _n);
        var leave = v.AsSpan(0, _n);
        for (var i = 0; i < ai.Length; i++)
        {
            if (gate[i] == 0 && leave[i] == 0)
            {
                continue;
            }

            var (pu, pv) = (Vector256.Create(ai[i]), Vector256.Create(-bi[i]));
            var at = (nuint)i * w;
            var from = upper ? (nuint)(i / Lanes * Lanes) : 0;
            if (leave[i] == 0)
            {
                for (var k = from; k < w; k += Lanes)
                {
                    Vector256.FusedMultiplyAdd(pu, Vector256.LoadUnsafe(ref ur, k), Vector256.LoadUnsafe(ref mr, at + k)).StoreUnsafe(ref mr, at + k);
                }
            }
            else
            {
                for (var k = from; k < w; k += Lanes)
                {
                    var x = Vector256.FusedMultiplyAdd(pv, Vector256.LoadUnsafe(ref vr, k), Vector256.LoadUnsafe(ref mr, at + k));
                    Vector256.FusedMultiplyAdd(pu, Vector256.LoadUnsafe(ref ur, k), x).StoreUnsafe(ref mr, at + k);
                }
            }
        }
    }
}
